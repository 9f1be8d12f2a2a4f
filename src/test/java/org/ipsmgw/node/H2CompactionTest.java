package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real H2 file written a commit at a time, as the node writes it, is given its free space back
 * at start with every row kept; off, or on another database, nothing is touched.
 */
class H2CompactionTest {
  private static final int ROWS = 1500;

  @TempDir
  Path dir;

  private Config config(String url, boolean on) {
    return ConfigFactory.parseMap(Map.of("ipsmgw.db.url", url, "ipsmgw.db.user", "sa",
        "ipsmgw.db.password", "", H2Compaction.KEY, on));
  }

  /** One row per commit; closed as a killed node leaves it, without a compaction. */
  private String grown() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("journal") + ";WRITE_DELAY=0";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE TABLE t(id BIGINT PRIMARY KEY, p VARBINARY(300))");
      PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
      for (int i = 0; i < ROWS; i++) {
        ps.setLong(1, i);
        ps.setBytes(2, new byte[300]);
        ps.executeUpdate();
      }
      c.createStatement().execute("SHUTDOWN IMMEDIATELY");
    } catch (java.sql.SQLException closedByShutdown) {
      // SHUTDOWN IMMEDIATELY closes the connection under its own close.
    }
    return url;
  }

  private static long rows(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The grown file's size before and after {@link H2Compaction#atStart}, and its rows. */
  private long[] compactedAtStart(boolean on) throws Exception {
    String url = grown();
    Path file = H2Compaction.file(url);
    long before = Files.size(file);
    H2Compaction.atStart(config(url, on));
    return new long[] {before, Files.size(file), rows(url)};
  }

  @Test
  void aFileWrittenACommitAtATimeShrinksAndKeepsEveryRow() throws Exception {
    long[] sizes = compactedAtStart(true);
    assertTrue(sizes[1] * 4 < sizes[0], "compacted from " + sizes[0] + " to " + sizes[1]);
    assertEquals(ROWS, sizes[2]);
  }

  @Test
  void offItLeavesTheFileAsItIs() throws Exception {
    long[] sizes = compactedAtStart(false);
    assertEquals(sizes[0], sizes[1]);
    assertEquals(ROWS, sizes[2]);
  }

  @Test
  void aFileThatIsNotThereYetIsNotCreatedAndOtherDatabasesAreLeftAlone() {
    String url = "jdbc:h2:file:" + dir.resolve("new") + ";WRITE_DELAY=0";
    H2Compaction.atStart(config(url, true));
    assertFalse(Files.exists(H2Compaction.file(url)), "left to the schema step to create");
    H2Compaction.atStart(config("jdbc:h2:mem:x", true));
    H2Compaction.atStart(config("jdbc:postgresql://127.0.0.1:1/none", true));
  }

  @Test
  void theStoreFileIsTheUrlsPathWithoutItsOptions() {
    assertEquals(Path.of("./data/ipsmgw.mv.db"),
        H2Compaction.file("jdbc:h2:file:./data/ipsmgw;WRITE_DELAY=0"));
    assertEquals(Path.of("/var/lib/j.mv.db"), H2Compaction.file("jdbc:h2:file:/var/lib/j"));
  }
}
