package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an H2 file's free space back before the node opens it. Written a commit at a time
 * ({@link H2Durability}), H2's copy-on-write store grows far faster than its data (1.6 GB in a
 * 60 s load of 110,000 chat messages) and compacts only a little while open; a close with
 * {@code SHUTDOWN COMPACT} rewrites it to its live data (4.5 GB of 100,000 rows to 7 MB in
 * 2.6 s). So each start does that first, while nothing else has the file open.
 */
final class H2Compaction {
  static final String KEY = "ipsmgw.db.compact-at-start";
  private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
  private static final String FILE_URL = "jdbc:h2:file:";
  private static final long MB = 1024 * 1024;

  private H2Compaction() {}

  /**
   * Compacts the configured H2 file when {@link #KEY} is on and the file exists; any other
   * database, and a file it cannot open now, are left to the schema step, which names the
   * problem.
   */
  static void atStart(Config config) {
    String url = config.getString("ipsmgw.db.url");
    if (!url.startsWith(FILE_URL) || !config.getBoolean(KEY)) {
      return;
    }
    Path file = file(url);
    if (!Files.isRegularFile(file)) {
      return;
    }
    long before = size(file);
    long started = System.nanoTime();
    try (Connection c = Database.connect(config); Statement st = c.createStatement()) {
      st.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      LOG.debug("H2 file not compacted at start: {}", e.getMessage());
      return;
    }
    LOG.info("H2 file {} compacted at start: {} MB to {} MB in {} ms", file, before / MB,
        size(file) / MB, (System.nanoTime() - started) / 1_000_000);
  }

  /** The store file of a {@code jdbc:h2:file:} URL (its options cut off). */
  static Path file(String url) {
    String path = url.substring(FILE_URL.length());
    int options = path.indexOf(';');
    return Path.of((options < 0 ? path : path.substring(0, options)) + ".mv.db");
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
