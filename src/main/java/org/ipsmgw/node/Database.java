package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The journal database as the node sees it before Pekko does: reachability and the versioned DDL
 * (db/h2, db/postgres), applied in order and idempotent, so every start can apply them. On
 * PostgreSQL they run in one transaction under an advisory lock, so nodes may start at once; H2
 * is single-node.
 */
final class Database {
  /** Versioned schema files, oldest first: the pekko-persistence-jdbc 1.1.1 tables, then ours. */
  static final List<String> MIGRATIONS = List.of("V1__pekko_persistence_jdbc_1.1.1.sql",
      "V2__smsc_message_index.sql", "V3__receipt_routing.sql");
  private static final int LOGIN_TIMEOUT_SECONDS = 5;
  /**
   * The advisory-lock key every node takes around its schema set-up ("ipsmgw" in ASCII): nodes
   * starting at once on an empty PostgreSQL otherwise race in {@code CREATE TABLE IF NOT EXISTS}
   * and one fails with a duplicate key in pg_type.
   */
  static final long SCHEMA_LOCK = 0x6970736d6777L;

  private Database() {}

  static void applySchema(Config config) {
    String url = config.getString("ipsmgw.db.url");
    String dialect = url.startsWith("jdbc:h2:") ? "h2" : "postgres";
    try (Connection c = connect(config); Statement st = c.createStatement()) {
      if (dialect.equals("postgres")) {
        // One transaction under a transaction-scoped lock: the next node waits, then finds the
        // tables; the lock ends with the commit or with the connection if this node dies.
        c.setAutoCommit(false);
        st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      }
      for (String migration : MIGRATIONS) {
        for (String sql : statements(read("db/" + dialect + "/" + migration))) {
          st.execute(sql);
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new StartupException("cannot use the journal database " + redact(url) + ": "
          + e.getMessage(), e);
    }
  }

  static Connection connect(Config config) throws SQLException {
    DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
    return DriverManager.getConnection(config.getString("ipsmgw.db.url"),
        config.getString("ipsmgw.db.user"), config.getString("ipsmgw.db.password"));
  }

  /** A JDBC URL without credentials a user may have put in it. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*@", "//***@");
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

  private static String read(String resource) {
    try (InputStream in = Database.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StartupException("schema file " + resource + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartupException("cannot read schema file " + resource + ": " + e.getMessage(), e);
    }
  }
}
