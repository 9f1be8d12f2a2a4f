package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real H2 file opened with the node's URL keeps a journal-sized BLOB in its row; opened with
 * H2's default it stores the same BLOB in its LOB maps. Read back the same either way.
 */
class H2InlineLobsTest {
  /** About what a chat's CPM message of an SMS's length serializes to. */
  private static final int EVENT_BYTES = 320;

  @TempDir
  Path dir;

  @Test
  void aNodeUrlKeepsAnEventSizedBlobInItsRow() throws Exception {
    Path file = dir.resolve("node");
    String url = H2InlineLobs.url("jdbc:h2:file:" + file + ";WRITE_DELAY=0");
    assertEquals(0, blobsOutsideRows(url, file));
  }

  @Test
  void h2sDefaultStoresTheSameBlobOutsideItsRow() throws Exception {
    Path file = dir.resolve("default");
    assertTrue(blobsOutsideRows("jdbc:h2:file:" + file + ";WRITE_DELAY=0", file) > 0,
        "the control: without the setting the BLOB goes to H2's LOB maps");
  }

  @Test
  void anOperatorsOwnLengthAndAnInMemoryDatabaseAreLeftAsTheyAre() {
    assertEquals("jdbc:h2:file:/j;Max_Length_Inplace_Lob=128",
        H2InlineLobs.url("jdbc:h2:file:/j;Max_Length_Inplace_Lob=128"));
    assertEquals("jdbc:h2:mem:t", H2InlineLobs.url("jdbc:h2:mem:t"));
  }

  /** Writes one event-sized BLOB as the journal does, reads it back, counts H2's LOB entries. */
  private static long blobsOutsideRows(String url, Path file) throws Exception {
    byte[] event = new byte[EVENT_BYTES];
    new java.util.Random(7).nextBytes(event);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE TABLE j(id BIGINT PRIMARY KEY, payload BLOB NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO j VALUES (1, ?)")) {
        ps.setBytes(1, event);
        ps.executeUpdate();
      }
      try (ResultSet rs = c.createStatement().executeQuery("SELECT payload FROM j")) {
        rs.next();
        assertArrayEquals(event, rs.getBytes(1));
      }
    }
    MVStore store = MVStore.open(file + ".mv.db");
    try {
      // H2's LOB storage keeps each out-of-row LOB's bytes in this map (Long block → byte[]).
      return store.hasMap("lobData") ? store.openMap("lobData",
          new org.h2.mvstore.MVMap.Builder<Long, byte[]>()
              .keyType(org.h2.mvstore.type.LongDataType.INSTANCE)
              .valueType(org.h2.mvstore.type.ByteArrayDataType.INSTANCE)).sizeAsLong() : 0;
    } finally {
      store.close();
    }
  }
}
