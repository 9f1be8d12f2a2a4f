package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipsmgw.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The number of shards per entity type is recorded on a journal's first start and a node that
 * counts otherwise does not start, on a real H2 file and a real PostgreSQL; a journal an earlier
 * build ran a cluster on (sharding state, no record) is taken as made with Pekko's default.
 */
class ShardLayoutIT {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  @TempDir
  Path dir;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    TestPostgres.stop(postgres);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theFirstStartRecordsItsNumberAndTheSameNumberStartsAgain(String dialect) throws Exception {
    Config config = freshDatabase(dialect, 100);
    ShardLayout.check(config);
    assertEquals("100", recorded(config));
    assertDoesNotThrow(() -> ShardLayout.check(config));
    assertEquals("100", recorded(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anotherNumberIsRefusedNamingBothAndChangesNothing(String dialect) throws Exception {
    Config config = freshDatabase(dialect, 100);
    ShardLayout.check(config);
    StartupException e = assertThrows(StartupException.class,
        () -> ShardLayout.check(withShards(config, 50)));
    assertTrue(e.getMessage().startsWith("pekko.cluster.sharding.number-of-shards is 50 but the"
        + " cluster on this journal (jdbc:"), e.getMessage());
    assertTrue(e.getMessage().endsWith(") runs with 100 shards per entity type: its remembered"
        + " chats live in those shards, and another number would start them twice. Set"
        + " pekko.cluster.sharding.number-of-shards = 100, or start the cluster on a new"
        + " database."), e.getMessage());
    assertFalse(e.getMessage().contains("password"), e.getMessage());
    assertEquals("100", recorded(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aJournalAnEarlierBuildRanAClusterOnIsTakenAsMadeWithPekkosDefault(String dialect)
      throws Exception {
    Config config = freshDatabase(dialect, 100);
    shardingStateOfAnEarlierBuild(config);
    StartupException e = assertThrows(StartupException.class, () -> ShardLayout.check(config));
    assertTrue(e.getMessage().contains(") runs with 1000 shards per entity type"), e.getMessage());
    assertEquals("1000", recorded(config), "recorded as what that cluster ran with");
    assertDoesNotThrow(() -> ShardLayout.check(withShards(config, 1000)));
  }

  private Config freshDatabase(String dialect, int shards) throws Exception {
    int n = DATABASES.incrementAndGet();
    Map<String, String> env;
    if (dialect.equals("h2")) {
      env = Map.of("IPSMGW_DB_URL", "jdbc:h2:file:" + dir.resolve("db" + n));
    } else {
      String db = "layout_" + n;
      try (Connection admin = postgres.getPostgresDatabase().getConnection();
          Statement st = admin.createStatement()) {
        st.execute("CREATE DATABASE " + db);
      }
      env = Map.of("IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", db),
          "IPSMGW_DB_USER", "postgres", "IPSMGW_DB_PASSWORD", "postgres");
    }
    Properties keys = new Properties();
    keys.setProperty(ShardLayout.KEY, String.valueOf(shards));
    Config config = NodeConfig.load(null, env, keys);
    Database.applySchema(config);
    return config;
  }

  private static Config withShards(Config config, int shards) {
    return config.withValue(ShardLayout.KEY,
        com.typesafe.config.ConfigValueFactory.fromAnyRef(shards));
  }

  /** A row as Pekko's sharding coordinator writes it (its content does not matter here). */
  private static void shardingStateOfAnEarlierBuild(Config config) throws Exception {
    try (Connection c = Database.connect(config); PreparedStatement st = c.prepareStatement(
        "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", \"sequence_number\","
            + " \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
            + " \"event_ser_id\", \"event_ser_manifest\") VALUES (false,"
            + " '/sharding/ChatSessionCoordinator', 1, 'w', 1, '', ?, 1, '')")) {
      st.setBytes(1, new byte[] {0});
      st.executeUpdate();
    }
  }

  private static String recorded(Config config) throws Exception {
    try (Connection c = Database.connect(config); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT setting_value FROM ipsmgw_cluster_layout"
            + " WHERE setting = 'number-of-shards'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
