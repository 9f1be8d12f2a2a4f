package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The number of shards per entity type a cluster's journal was first started with, recorded
 * then and checked at every start after. An entity's shard is its id's hash modulo that number,
 * and with remember-entities the coordinator restarts every shard it remembers with the chats it
 * remembers: a node counting otherwise would start a remembered chat in its old shard and route
 * the chat's traffic to another, the same chat twice, two writers of one journal. So a node that
 * counts otherwise does not start.
 */
final class ShardLayout {
  static final String KEY = "pekko.cluster.sharding.number-of-shards";
  /**
   * What every build before the record ran with (Pekko's default, which they did not change):
   * a journal that holds sharding state but no record was made with it.
   */
  static final int BEFORE_THE_RECORD = 1000;
  private static final String SETTING = "number-of-shards";

  private ShardLayout() {}

  /**
   * Records this node's number of shards on a journal that has none, or checks it against the
   * recorded one.
   *
   * @throws StartupException when they differ, or the database cannot be read
   */
  static void check(Config config) {
    int configured = config.getInt(KEY);
    String url = config.getString("ipsmgw.db.url");
    try (Connection c = Database.connect(config)) {
      Optional<Integer> before = recorded(c);
      int recorded = before.isPresent() ? before.get()
          : record(c, shardingStateExists(c) ? BEFORE_THE_RECORD : configured);
      if (recorded != configured) {
        throw new StartupException(KEY + " is " + configured + " but the cluster on this journal ("
            + Database.redact(url) + ") runs with " + recorded + " shards per entity type: its "
            + "remembered chats live in those shards, and another number would start them twice. "
            + "Set " + KEY + " = " + recorded + ", or start the cluster on a new database.");
      }
    } catch (SQLException | NumberFormatException e) {
      throw new StartupException("cannot read the cluster's shard layout from "
          + Database.redact(url) + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Integer> recorded(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT setting_value FROM ipsmgw_cluster_layout WHERE setting = ?")) {
      st.setString(1, SETTING);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(Integer.parseInt(rs.getString(1).trim())) : Optional.empty();
      }
    }
  }

  /** The value now recorded: {@code shards}, or what a node starting at the same time wrote. */
  private static int record(Connection c, int shards) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO ipsmgw_cluster_layout (setting, setting_value) VALUES (?, ?)")) {
      st.setString(1, SETTING);
      st.setString(2, String.valueOf(shards));
      st.executeUpdate();
      return shards;
    } catch (SQLException e) {
      Optional<Integer> first = recorded(c);
      if (first.isEmpty()) {
        throw e;
      }
      return first.get();
    }
  }

  /** The plugin's table and column names are lower case, quoted so H2 does not fold them up. */
  private static boolean shardingStateExists(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT 1 FROM \"event_journal\" WHERE \"persistence_id\" LIKE '/sharding/%' LIMIT 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next();
    }
  }
}
