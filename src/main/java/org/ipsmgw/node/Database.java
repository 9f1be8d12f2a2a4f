package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * The journal database as the node sees it before Pekko does: reachability and the schema. The
 * versioned DDL (db/h2, db/postgres, V1__, V2__ …) is Flyway's history: {@link #applySchema}
 * applies what the database lacks and records it in {@code flyway_schema_history};
 * {@link #checkSchema} only verifies, for a database a DBA migrates.
 */
final class Database {
  /** Flyway's table recording each applied version, its checksum, who and when. */
  static final String HISTORY_TABLE = "flyway_schema_history";
  private static final int LOGIN_TIMEOUT_SECONDS = 5;
  /**
   * The advisory-lock key every node takes around its schema set-up ("ipsmgw" in ASCII). Flyway
   * locks each migration, but its "no history table yet: create it, or baseline a non-empty
   * schema" decision runs before that lock, so nodes starting at once on an empty PostgreSQL
   * could still both take it; held on its own connection, the lock ends with it if the node dies.
   */
  static final long SCHEMA_LOCK = 0x6970736d6777L;
  /**
   * The version a database made by the hand-written runner (before Flyway: the tables, no
   * history) is baselined at. Not the last file it had: which files that was depends on the
   * build it last ran, and every file is idempotent, so from 0 Flyway applies (no-op where the
   * runner had) and records them all, checksums included, whatever the build was.
   */
  static final String PRE_FLYWAY_BASELINE = "0";

  private Database() {}

  /**
   * Migrates the schema to this build's version. On PostgreSQL under {@link #SCHEMA_LOCK}, so
   * nodes may start at once.
   *
   * @throws StartupException when the database cannot be reached, holds a version this build does
   *     not know, or a migration fails
   */
  static void applySchema(Config config) {
    String url = config.getString("ipsmgw.db.url");
    Flyway flyway = flyway(config);
    try (Connection c = connect(config)) {
      boolean postgres = !isH2(url);
      if (postgres) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_lock(" + SCHEMA_LOCK + ")");
        }
      }
      try {
        flyway.migrate();
      } catch (FlywayValidateException e) {
        // Only a failed validation reads the history again, to word the refusal.
        refuseUnknownVersions(flyway.info(), url);
        throw e;
      } finally {
        if (postgres) {
          try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK + ")");
          }
        }
      }
    } catch (SQLException e) {
      throw unusable(url, e);
    } catch (FlywayMigrateException e) {
      MigrationInfo m = e.getMigration();
      throw new StartupException("schema migration " + (m == null ? "" : describe(m) + " ")
          + "failed on the journal database " + redact(url) + ": " + sqlCause(e)
          // PostgreSQL rolls a failed migration's DDL back; H2 commits each statement.
          + (!isH2(url) && e.isExecutableInTransaction() ? " (rolled back: start again once the"
              + " cause is fixed)" : " (partly applied: repair by hand, then delete its failed"
              + " row in " + HISTORY_TABLE + ")"), e);
    } catch (FlywayException e) {
      throw flywayFailed(url, e);
    }
  }

  /**
   * For {@code ipsmgw.db.apply-schema = off}: the schema must already be at this build's version,
   * recorded in {@link #HISTORY_TABLE}, with the checksums of this build's files.
   *
   * @throws StartupException naming what is missing or different
   */
  static void checkSchema(Config config) {
    String url = config.getString("ipsmgw.db.url");
    Flyway flyway = flyway(config);
    try (Connection c = connect(config)) {
      MigrationInfoService info = flyway.info();
      refuseUnknownVersions(info, url);
      MigrationInfo[] pending = info.pending();
      if (pending.length > 0) {
        MigrationInfo current = info.current();
        throw new StartupException("the journal database " + redact(url) + " is "
            + (current == null ? "empty (no " + HISTORY_TABLE + ")"
                : "at schema version " + current.getVersion())
            + " and ipsmgw.db.apply-schema = off: apply " + Arrays.stream(pending)
                .map(m -> m.getScript()).collect(Collectors.joining(", "))
            + " from db/" + dialect(url) + "/ in this order with Flyway, or set"
            + " ipsmgw.db.apply-schema = on");
      }
      ValidateResult result = flyway.validateWithResult();
      if (!result.validationSuccessful) {
        throw new StartupException("the schema of the journal database " + redact(url)
            + " differs from this build's: " + oneLine(result.getAllErrorMessages()));
      }
    } catch (SQLException e) {
      throw unusable(url, e);
    } catch (FlywayException e) {
      throw flywayFailed(url, e);
    }
  }

  private static Flyway flyway(Config config) {
    String url = config.getString("ipsmgw.db.url");
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(url, config.getString("ipsmgw.db.user"), config.getString("ipsmgw.db.password"))
        .locations("classpath:db/" + dialect(url))
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion(PRE_FLYWAY_BASELINE)
        .baselineDescription("tables of the pre-Flyway schema runner")
        // Flyway's default ignores versions applied by a newer build; those are refused here.
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .loggers("slf4j")
        .load();
  }

  /**
   * A version in the history that this build has no file for: a newer build migrated the
   * database, and this one would run on a schema it does not know (or a failed one is left).
   */
  private static void refuseUnknownVersions(MigrationInfoService info, String url) {
    for (MigrationInfo m : info.all()) {
      MigrationState s = m.getState();
      if (s == MigrationState.FUTURE_SUCCESS || s == MigrationState.FUTURE_FAILED) {
        throw new StartupException("the journal database " + redact(url) + " is at schema version "
            + m.getVersion() + " (" + m.getDescription() + "), newer than this build knows ("
            + lastKnown(info) + "): run the build that migrated it, or restore a backup");
      }
      if (s == MigrationState.FAILED) {
        throw new StartupException("schema migration " + describe(m) + " failed earlier on the"
            + " journal database " + redact(url) + ": repair by hand, then delete its failed row"
            + " in " + HISTORY_TABLE);
      }
    }
  }

  private static String lastKnown(MigrationInfoService info) {
    return Arrays.stream(info.all()).filter(m -> m.getState().isResolved() && m.isVersioned()
        && m.getType() != null && !m.getType().isBaseline())
        .map(m -> "version " + m.getVersion()).reduce((a, b) -> b).orElse("none");
  }

  private static String describe(MigrationInfo m) {
    return "V" + m.getVersion() + " (" + m.getDescription() + ")";
  }

  private static StartupException unusable(String url, SQLException e) {
    return new StartupException("cannot use the journal database " + redact(url) + ": "
        + e.getMessage(), e);
  }

  private static StartupException flywayFailed(String url, FlywayException e) {
    return new StartupException("cannot set up the schema of the journal database " + redact(url)
        + ": " + oneLine(e.getMessage()), e);
  }

  /** The database's own words for a failed statement, else Flyway's first line. */
  private static String sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return oneLine(sql.getMessage());
      }
    }
    return oneLine(e.getMessage());
  }

  /** Flyway's messages run over several lines with rulers; an operator's line is one. */
  private static String oneLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    List<String> parts = message.lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.matches("-+")).toList();
    return String.join("; ", parts);
  }

  private static boolean isH2(String url) {
    return url.startsWith("jdbc:h2:");
  }

  private static String dialect(String url) {
    return isH2(url) ? "h2" : "postgres";
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
}
