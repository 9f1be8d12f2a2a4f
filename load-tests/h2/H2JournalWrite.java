import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Random;

/**
 * The node's journal write on H2 alone, for A/B of an H2 setting: the journal table of
 * db/h2/V1, 50 persistence ids, events of PAYLOAD bytes in batches of BATCH per commit, each
 * commit written to the file (WRITE_DELAY=0, as the node connects). Prints events/s and CPU per
 * event. Single-file program, no build:
 *
 * <pre>
 * java -cp ~/.m2/repository/com/h2database/h2/2.5.252/h2-2.5.252.jar \
 *   load-tests/h2/H2JournalWrite.java EVENTS BATCH PAYLOAD [";H2 settings"]
 * </pre>
 */
public class H2JournalWrite {
  public static void main(String[] a) throws Exception {
    int events = Integer.parseInt(a[0]);
    int batch = Integer.parseInt(a[1]);
    byte[] payload = new byte[Integer.parseInt(a[2])];
    String settings = a.length > 3 ? a[3] : "";
    Path dir = Files.createTempDirectory("h2-journal-write");
    Path ddl = Path.of(System.getProperty("ddl",
        "src/main/resources/db/h2/V1__pekko_persistence_jdbc_1.1.1.sql"));
    String url = "jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0" + settings;
    new Random(1).nextBytes(payload);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute(Files.readString(ddl));
      }
      c.setAutoCommit(false);
      PreparedStatement p = c.prepareStatement("INSERT INTO \"event_journal\" (\"deleted\","
          + "\"persistence_id\",\"sequence_number\",\"writer\",\"write_timestamp\","
          + "\"adapter_manifest\",\"event_payload\",\"event_ser_id\",\"event_ser_manifest\")"
          + " VALUES (false,?,?,?,?,'',?,?,?)");
      long[] seq = new long[50];
      Random r = new Random(2);
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < events; i++) {
        int chat = r.nextInt(seq.length);
        p.setString(1, "ChatSession|load-" + chat + "-6a90578ad033289a@127.0.0.1");
        p.setLong(2, ++seq[chat]);
        p.setString(3, "0f3a9c2b-77e1-4c1e-9d2a-5b6c7d8e9f00");
        p.setLong(4, System.currentTimeMillis());
        p.setBytes(5, payload);
        p.setInt(6, 33);
        p.setString(7, "org.ipsmgw.session.ChatSessionEvent$CpmMessageAccepted");
        p.addBatch();
        if ((i + 1) % batch == 0) {
          p.executeBatch();
          c.commit();
        }
      }
      p.executeBatch();
      c.commit();
      long nanos = System.nanoTime() - t0;
      long cpu = os.getProcessCpuTime() - cpu0;
      System.out.printf("%d events of %d bytes, %d per commit%s: %.0f events/s, %.1f us CPU per"
          + " event, file %d MiB%n", events, payload.length, batch,
          settings.isEmpty() ? "" : " (" + settings.substring(1) + ")", events / (nanos / 1e9),
          cpu / 1e3 / events, Files.size(dir.resolve("db.mv.db")) >> 20);
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
