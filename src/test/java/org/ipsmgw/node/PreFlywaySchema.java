package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema runner the node had before Flyway (commit 740ce2a, node/Database#applySchema), kept
 * to make databases the way it did: every statement of the given files in order, on PostgreSQL in
 * one transaction under the same advisory lock, and no history table.
 */
final class PreFlywaySchema {
  static final List<String> ALL = List.of("V1__pekko_persistence_jdbc_1.1.1.sql",
      "V2__smsc_message_index.sql", "V3__receipt_routing.sql");

  private PreFlywaySchema() {}

  static void apply(Config config, List<String> files) throws SQLException, IOException {
    String dialect = config.getString("ipsmgw.db.url").startsWith("jdbc:h2:") ? "h2" : "postgres";
    try (Connection c = Database.connect(config); Statement st = c.createStatement()) {
      if (dialect.equals("postgres")) {
        c.setAutoCommit(false);
        st.execute("SELECT pg_advisory_xact_lock(" + Database.SCHEMA_LOCK + ")");
      }
      for (String file : files) {
        for (String sql : statements(read("db/" + dialect + "/" + file))) {
          st.execute(sql);
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  private static List<String> statements(String script) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    return List.of(withoutComments.toString().split(";")).stream().map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = PreFlywaySchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
