package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes started at the same time on an empty PostgreSQL all apply the schema: without a lock
 * around it, concurrent {@code CREATE TABLE IF NOT EXISTS} fails with a duplicate key in
 * pg_type ("pg_type_typname_nsp_index") for one of them.
 */
class ConcurrentSchemaIT {
  private static final int NODES = 3;
  private static final int ROUNDS = 10;
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    TestPostgres.stop(postgres);
  }

  @Test
  void concurrentSchemaSetUpOnFreshDatabasesAllSucceeds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    List<String> failures = new ArrayList<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String db = "schema_round_" + round;
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
            Statement st = admin.createStatement()) {
          st.execute("CREATE DATABASE " + db);
        }
        Config config = NodeConfig.load(null, Map.of(
            "IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", db),
            "IPSMGW_DB_USER", "postgres",
            "IPSMGW_DB_PASSWORD", "postgres"), new Properties());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> starts = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
          starts.add(pool.submit(() -> {
            go.await();
            Database.applySchema(config);
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : starts) {
          try {
            f.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            failures.add(db + ": " + e.getCause().getMessage());
          }
        }
        assertEquals(5, tables(config), "tables in " + db);
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + NODES * ROUNDS
        + " concurrent schema set-ups failed: " + failures);
  }

  private static int tables(Config config) throws Exception {
    try (Connection c = Database.connect(config); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables "
            + "WHERE table_schema = 'public' AND table_name IN "
            + "('event_journal', 'event_tag', 'snapshot', 'durable_state', 'ipsmgw_smsc_message')")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
