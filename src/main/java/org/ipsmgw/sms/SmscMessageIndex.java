package org.ipsmgw.sms;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide, durable map from SMSC message id to chat session (table
 * {@code ipsmgw_smsc_message} in the journal database). Receipts may arrive on any bind of any
 * node, long after the node that submitted the message is gone; the shared database is the one
 * store every node already has and that survives them all.
 */
public final class SmscMessageIndex implements AutoCloseable {
  /** Where a receipt goes: the session, and the id exactly as that session stored it. */
  public record Entry(String smscId, String sessionId) {}

  private final HikariDataSource db;
  private final Clock clock;

  private SmscMessageIndex(HikariDataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @param config the node configuration ({@code ipsmgw.db}) */
  public static SmscMessageIndex open(Config config, Clock clock) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(config.getString("ipsmgw.db.url"));
    h.setUsername(config.getString("ipsmgw.db.user"));
    h.setPassword(config.getString("ipsmgw.db.password"));
    h.setPoolName("ipsmgw-smsc-index");
    h.setMaximumPoolSize(4);
    h.setMinimumIdle(1);
    h.setConnectionTimeout(5_000);
    // The node may start while the database is briefly away; fail on use, not on open.
    h.setInitializationFailTimeout(-1);
    return new SmscMessageIndex(new HikariDataSource(h), clock);
  }

  /** Records the parts of one message; a reused SMSC id now points at the new session. */
  public void put(List<String> smscIds, String sessionId) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement(
              "DELETE FROM ipsmgw_smsc_message WHERE smsc_key = ?");
          PreparedStatement ins = c.prepareStatement("INSERT INTO ipsmgw_smsc_message "
              + "(smsc_key, smsc_id, session_id, created_millis) VALUES (?, ?, ?, ?)")) {
        long now = clock.millis();
        for (String id : smscIds) {
          del.setString(1, SmscMessageId.canonical(id));
          del.addBatch();
          ins.setString(1, SmscMessageId.canonical(id));
          ins.setString(2, id);
          ins.setString(3, sessionId);
          ins.setLong(4, now);
          ins.addBatch();
        }
        del.executeBatch();
        ins.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The session of a receipt's id, trying its hexadecimal and decimal readings. */
  public Optional<Entry> find(String receiptId) throws SQLException {
    List<String> candidates = SmscMessageId.lookupCandidates(receiptId);
    String marks = String.join(",", Collections.nCopies(candidates.size(), "?"));
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT smsc_key, smsc_id, session_id FROM ipsmgw_smsc_message WHERE smsc_key IN ("
            + marks + ")")) {
      for (int i = 0; i < candidates.size(); i++) {
        st.setString(i + 1, candidates.get(i));
      }
      java.util.Map<String, Entry> found = new java.util.HashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new Entry(rs.getString(2), rs.getString(3)));
        }
      }
      // The id as written is the likeliest reading, then the alternatives in their given order.
      return candidates.stream().filter(found::containsKey).map(found::get).findFirst();
    }
  }

  /** Deletes rows older than {@code retention}; returns how many. */
  public int prune(Duration retention) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "DELETE FROM ipsmgw_smsc_message WHERE created_millis < ?")) {
      st.setLong(1, clock.millis() - retention.toMillis());
      return st.executeUpdate();
    }
  }

  @Override
  public void close() {
    db.close();
  }
}
