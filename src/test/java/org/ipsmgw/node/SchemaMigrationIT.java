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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.ipsmgw.TestPorts;
import org.ipsmgw.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema under Flyway on a real H2 file and a real PostgreSQL: a fresh database, a restart,
 * a database the pre-Flyway runner made, one a newer build migrated, one nobody migrated with
 * {@code apply-schema = off}, and a migration that fails; and the shard layout the journal keeps
 * ({@link ShardLayout}): recorded at the first start, another number refused, a journal an
 * earlier build ran a cluster on taken as made with Pekko's default.
 */
class SchemaMigrationIT {
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
  void emptyDatabaseGetsEachVersionRecordedInTheHistory(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
    assertEquals(List.of("1 SQL true", "2 SQL true", "3 SQL true", "4 SQL true"), history(config));
    assertTrue(tableExists(config, "ipsmgw_pending_receipt"), "V3's table");
    assertTrue(tableExists(config, "ipsmgw_cluster_layout"), "V4's table");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void restartAppliesNothingAgain(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
    List<String> first = historyWithTimes(config);
    Database.applySchema(config);
    assertEquals(first, historyWithTimes(config));
    assertDoesNotThrow(() -> Database.checkSchema(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void databaseOfThePreFlywayRunnerIsBaselinedAndKeepsItsRows(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    PreFlywaySchema.apply(config, PreFlywaySchema.ALL);
    PreFlywaySchema.apply(config, PreFlywaySchema.ALL); // it ran them at every start
    execute(config, "INSERT INTO ipsmgw_smsc_message (smsc_key, smsc_id, session_id, created_millis,"
        + " message_ref, part_no) VALUES ('ab12', 'AB12', 'call-1', 1, 'ref-1', 1)");
    assertFalse(tableExists(config, Database.HISTORY_TABLE), "the old runner kept no history");

    Database.applySchema(config);

    assertEquals(List.of("0 BASELINE true", "1 SQL true", "2 SQL true", "3 SQL true", "4 SQL true"),
        history(config));
    assertEquals("call-1", single(config,
        "SELECT session_id FROM ipsmgw_smsc_message WHERE smsc_key = 'ab12'"));
    List<String> history = historyWithTimes(config);
    Database.applySchema(config);
    assertEquals(history, historyWithTimes(config), "a second start changes nothing");
    assertDoesNotThrow(() -> Database.checkSchema(config));
  }

  /** Why the baseline is 0, not 3: a build older than V3 made this one. */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void databaseOfAnOlderPreFlywayBuildGetsWhatItLacks(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    PreFlywaySchema.apply(config, PreFlywaySchema.ALL.subList(0, 2));
    assertFalse(tableExists(config, "ipsmgw_pending_receipt"));

    Database.applySchema(config);

    assertTrue(tableExists(config, "ipsmgw_pending_receipt"), "V3 applied");
    assertEquals("0", single(config, "SELECT count(*) FROM ipsmgw_smsc_message WHERE part_no"
        + " IS NOT NULL"), "V3's column is there");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void versionOfANewerBuildIsRefusedWithOneLine(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Flyway.configure().dataSource(config.getString("ipsmgw.db.url"),
        config.getString("ipsmgw.db.user"), config.getString("ipsmgw.db.password"))
        .locations("classpath:db/" + dialect, "classpath:db/future/" + dialect)
        .load().migrate();

    StartupException migrate = assertThrows(StartupException.class,
        () -> Database.applySchema(config));
    StartupException check = assertThrows(StartupException.class,
        () -> Database.checkSchema(config));

    for (StartupException e : List.of(migrate, check)) {
      assertTrue(e.getMessage().startsWith("the journal database jdbc:"), e.getMessage());
      assertTrue(e.getMessage().contains(" is at schema version 5 (a later build), newer than this"
          + " build knows (version 4): run the build that migrated it, or restore a backup"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertEquals(List.of("1 SQL true", "2 SQL true", "3 SQL true", "4 SQL true", "5 SQL true"),
        history(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void editedAppliedFileIsRefusedWithOneLine(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
    // As if V1's file had been edited after it was applied: its recorded checksum differs.
    execute(config, "UPDATE \"flyway_schema_history\" SET \"checksum\" = 12345 WHERE"
        + " \"version\" = '1'");
    for (org.junit.jupiter.api.function.Executable start : List.<org.junit.jupiter.api.function
        .Executable>of(() -> Database.applySchema(config), () -> Database.checkSchema(config))) {
      StartupException e = assertThrows(StartupException.class, start);
      assertTrue(e.getMessage().contains("checksum mismatch for migration version 1"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  /** README's path for a DBA who ran the files with psql: a Flyway baseline at the last after them. */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void handAppliedFilesBaselinedAtTheLastAreTakenAsCurrent(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    PreFlywaySchema.apply(config, java.util.stream.Stream.concat(PreFlywaySchema.ALL.stream(),
        java.util.stream.Stream.of("V4__cluster_layout.sql")).toList());
    Flyway.configure().dataSource(config.getString("ipsmgw.db.url"),
        config.getString("ipsmgw.db.user"), config.getString("ipsmgw.db.password"))
        .locations("classpath:db/" + dialect).baselineVersion("4").load().baseline();
    assertDoesNotThrow(() -> Database.checkSchema(config));
    Database.applySchema(config);
    assertEquals(List.of("4 BASELINE true"), history(config), "nothing applied again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void applySchemaOffOnAnEmptyDatabaseNamesWhatToApply(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    StartupException e = assertThrows(StartupException.class, () -> Database.checkSchema(config));
    assertTrue(e.getMessage().startsWith("the journal database jdbc:"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" is empty (no flyway_schema_history) and"
        + " ipsmgw.db.apply-schema = off: apply V1__pekko_persistence_jdbc_1.1.1.sql,"
        + " V2__smsc_message_index.sql, V3__receipt_routing.sql, V4__cluster_layout.sql from db/"
        + dialect + "/ in this"
        + " order with Flyway, or set ipsmgw.db.apply-schema = on"), e.getMessage());
    assertFalse(tableExists(config, Database.HISTORY_TABLE), "a check writes nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void applySchemaOffOnADatabaseOneVersionBehindNamesTheMissingFile(String dialect)
      throws Exception {
    Config config = freshDatabase(dialect);
    Flyway.configure().dataSource(config.getString("ipsmgw.db.url"),
        config.getString("ipsmgw.db.user"), config.getString("ipsmgw.db.password"))
        .locations("classpath:db/" + dialect).target("3").load().migrate();
    StartupException e = assertThrows(StartupException.class, () -> Database.checkSchema(config));
    assertTrue(e.getMessage().contains(" is at schema version 3 and ipsmgw.db.apply-schema = off:"
        + " apply V4__cluster_layout.sql from db/" + dialect + "/"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void failedMigrationIsOneLineNamingTheVersionAndTheDatabasesReason(String dialect)
      throws Exception {
    Config config = freshDatabase(dialect);
    // An object in V2's way: its table's name is taken by a view, so V2's index cannot be made.
    execute(config, "CREATE VIEW ipsmgw_smsc_message AS SELECT 1 AS smsc_key");
    StartupException e = assertThrows(StartupException.class, () -> Database.applySchema(config));
    assertTrue(e.getMessage().startsWith("schema migration V2 (smsc message index) failed on the"
        + " journal database jdbc:"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().length() < 600, e.getMessage());
    // The next start: PostgreSQL rolled V2 back and tries it again; H2 kept a failed row.
    StartupException again = assertThrows(StartupException.class,
        () -> Database.applySchema(config));
    assertTrue(again.getMessage().startsWith(dialect.equals("h2")
        ? "schema migration V2 (smsc message index) failed earlier on the journal database jdbc:"
        : "schema migration V2 (smsc message index) failed on the journal database jdbc:"),
        again.getMessage());
  }

  /** The jar as an operator runs it: one line on stderr, and no stack trace in the log. */
  @Test
  void nodeProcessStopsWithOneLineOnANewerSchema() throws Exception {
    Config config = freshDatabase("h2");
    Flyway.configure().dataSource(config.getString("ipsmgw.db.url"), "sa", "")
        .locations("classpath:db/h2", "classpath:db/future/h2").load().migrate();
    assertStopsWithOneLine(config, List.of(), "ipsmgw: the journal database jdbc:h2:file:",
        "is at schema version 5 (a later build), newer than this build knows (version 4)");
  }

  @Test
  void nodeProcessStopsWithOneLineWhenAMigrationFails() throws Exception {
    Config config = freshDatabase("h2");
    execute(config, "CREATE VIEW ipsmgw_smsc_message AS SELECT 1 AS smsc_key");
    assertStopsWithOneLine(config, List.of(), "ipsmgw: schema migration V2 (smsc message index)"
        + " failed on the journal database jdbc:h2:file:", "");
  }

  @Test
  void nodeProcessStopsWithOneLineWhenItsNumberOfShardsIsNotTheJournals() throws Exception {
    Config config = freshDatabase("h2");
    Database.applySchema(config);
    ShardLayout.check(config);
    assertStopsWithOneLine(config, List.of("-D" + ShardLayout.KEY + "=50"),
        "ipsmgw: pekko.cluster.sharding.number-of-shards is 50 but the cluster on this journal",
        "runs with " + config.getInt(ShardLayout.KEY) + " shards per entity type");
  }

  @Test
  void nodeProcessWithApplySchemaOffStopsWithOneLineOnAnEmptyDatabase() throws Exception {
    Config config = freshDatabase("h2");
    assertStopsWithOneLine(config, List.of("-Dipsmgw.db.apply-schema=off"),
        "ipsmgw: the journal database jdbc:h2:file:", "is empty (no flyway_schema_history) and"
            + " ipsmgw.db.apply-schema = off: apply V1__pekko_persistence_jdbc_1.1.1.sql");
  }

  private void assertStopsWithOneLine(Config config, List<String> jvmOptions, String start,
      String contains) throws Exception {
    Map<String, String> env = Map.of("IPSMGW_DB_URL", config.getString("ipsmgw.db.url"),
        "IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()),
        "IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()),
        "IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()),
        "IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()),
        "IPSMGW_SMSC_PORT", String.valueOf(TestPorts.free()));
    JarProcess node = new JarProcess(dir, env, jvmOptions, "node");
    try {
      assertEquals(1, node.exitCode(60), "stdout: " + node.out + " stderr: " + node.err);
      List<String> err = node.err.stream().filter(l -> !l.isBlank()).toList();
      assertEquals(1, err.size(), "stderr: " + err);
      assertTrue(err.get(0).startsWith(start) && err.get(0).contains(contains), err.get(0));
      for (String line : node.all()) {
        assertFalse(line.contains("Exception") || line.strip().startsWith("at "),
            "stack trace: " + line);
      }
    } finally {
      node.stop();
    }
  }

  // The number of shards per entity type, recorded in the journal at a cluster's first start.

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theFirstStartRecordsItsNumberAndTheSameNumberStartsAgain(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
    ShardLayout.check(config);
    assertEquals("100", recorded(config));
    assertDoesNotThrow(() -> ShardLayout.check(config));
    assertEquals("100", recorded(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anotherNumberIsRefusedNamingBothAndChangesNothing(String dialect) throws Exception {
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
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
    Config config = freshDatabase(dialect);
    Database.applySchema(config);
    shardingStateOfAnEarlierBuild(config);
    StartupException e = assertThrows(StartupException.class, () -> ShardLayout.check(config));
    assertTrue(e.getMessage().contains(") runs with 1000 shards per entity type"), e.getMessage());
    assertEquals("1000", recorded(config), "recorded as what that cluster ran with");
    assertDoesNotThrow(() -> ShardLayout.check(withShards(config, 1000)));
  }

  private Config freshDatabase(String dialect) throws Exception {
    int n = DATABASES.incrementAndGet();
    if (dialect.equals("h2")) {
      return config(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:" + dir.resolve("db" + n)));
    }
    String db = "migration_" + n;
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    return config(Map.of("IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", db),
        "IPSMGW_DB_USER", "postgres", "IPSMGW_DB_PASSWORD", "postgres"));
  }

  private static Config config(Map<String, String> env) {
    return NodeConfig.load(null, env, new Properties());
  }

  /**
   * version, type, success of each versioned history row, oldest first (on H2 Flyway also notes
   * the history table's creation, without a version).
   */
  private static List<String> history(Config config) throws Exception {
    return rows(config, "SELECT \"version\", \"type\", \"success\" FROM \"flyway_schema_history\""
        + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"", 3);
  }

  private static List<String> historyWithTimes(Config config) throws Exception {
    return rows(config, "SELECT \"installed_rank\", \"version\", \"checksum\", \"installed_on\","
        + " \"success\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"", 5);
  }

  private static List<String> rows(Config config, String sql, int columns) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = Database.connect(config); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join(" ", row));
      }
    }
    return rows;
  }

  private static String single(Config config, String sql) throws Exception {
    List<String> rows = rows(config, sql, 1);
    assertEquals(1, rows.size(), sql);
    return rows.get(0);
  }

  private static boolean tableExists(Config config, String table) throws Exception {
    return !single(config, "SELECT count(*) FROM information_schema.tables WHERE"
        + " lower(table_name) = '" + table + "'").equals("0");
  }

  private static void execute(Config config, String sql) throws Exception {
    try (Connection c = Database.connect(config); Statement st = c.createStatement()) {
      st.execute(sql);
    }
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
