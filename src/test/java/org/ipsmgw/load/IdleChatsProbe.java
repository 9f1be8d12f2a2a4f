package org.ipsmgw.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpParser;
import org.ipsmgw.msrp.MsrpUri;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sip.Cpm;

/**
 * Measures what an idle chat costs in a running node's heap (issue #13: 100,000 idle chats in
 * a 2 GiB heap). Not a test ({@code mvn verify} does not run it); {@code load-tests/idle-chats.sh}
 * starts a node and the SMSC simulator and runs it. It sets up {@code --warm} chats (classes
 * loaded, pools filled), takes the node's class histogram (a full GC first), sets up
 * {@code --count} more, takes it again, and prints the difference per chat, class by class, and
 * the used heap after each full GC. Every chat is real: INVITE → 200 → ACK over SIP/TCP, then the
 * MSRP connection of the 200's {@code a=path} opened and bound with an empty SEND (answered 200),
 * then nothing: the connection stays open and silent. Each chat has its own SMS user. Loopback
 * only; the chats' sockets close when the probe ends.
 *
 * <p>{@code --per-connection C} binds up to C chats on one MSRP connection (RFC 4975 lets
 * sessions share one, as a CPM server in front of many users does): each worker opens its next
 * connection after C binds. With 1 (the default) every chat has its own.
 *
 * <p>Usage: {@code IdleChatsProbe --sip-port P --node-pid PID [--count N] [--warm W]
 * [--workers K] [--per-connection C] [--top T] [--idle S]}.
 */
public final class IdleChatsProbe {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern HISTO = Pattern.compile(
      "^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");

  private final int sipPort;
  private final int workers;
  /** Whether each chat's MSRP connection is opened and bound (off: SIP only, to tell costs). */
  private final boolean bindMedia;
  private final int perConnection;
  private final List<CpmClient> clients = new ArrayList<>();
  /** Each worker's MSRP connection being filled, by its client. */
  private final Map<CpmClient, Media> filling = new java.util.concurrent.ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Media> media = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger firstFailuresShown = new AtomicInteger();

  /**
   * One open MSRP connection, with the parser that reads it for as long as it is open (a read can
   * end inside a frame, so the parser's leftover belongs to the connection, not to one bind).
   */
  private record Media(Socket socket, MsrpParser parser, AtomicInteger chats) {}

  private IdleChatsProbe(int sipPort, int workers, boolean bindMedia, int perConnection)
      throws Exception {
    this.sipPort = sipPort;
    this.bindMedia = bindMedia;
    this.perConnection = perConnection;
    this.workers = workers;
    for (int w = 0; w < workers; w++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      clients.add(new CpmClient("127.0.0.1", port, String.format("+4477190%05d", w)));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("ports")) {
      // For the script: free loopback ports for the node and the simulator, on one line.
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < Integer.parseInt(args[1]); i++) {
        line.append(i == 0 ? "" : " ").append(
            org.ipsmgw.sim.FreePorts.free(InetAddress.getLoopbackAddress()));
      }
      System.out.println(line);
      return;
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int sipPort = Integer.parseInt(o.get("sip-port"));
    long pid = Long.parseLong(o.get("node-pid"));
    int count = Integer.parseInt(o.getOrDefault("count", "2000"));
    int warm = Integer.parseInt(o.getOrDefault("warm", "300"));
    int top = Integer.parseInt(o.getOrDefault("top", "40"));
    boolean media = !o.getOrDefault("bind", "yes").equals("no");
    // Entities that stop once idle (ipsmgw.subscriber.passivate-after) have, before each count.
    long idleMillis = Long.parseLong(o.getOrDefault("idle", "0")) * 1000;
    int perConnection = Integer.parseInt(o.getOrDefault("per-connection", "1"));
    IdleChatsProbe probe = new IdleChatsProbe(sipPort,
        Integer.parseInt(o.getOrDefault("workers", "8")), media, perConnection);
    try {
      probe.setUp(warm);
      Thread.sleep(idleMillis);
      Map<String, long[]> before = histogram(pid);
      long usedBefore = total(before);
      long t0 = System.nanoTime();
      probe.setUp(count);
      long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      Thread.sleep(idleMillis);
      Map<String, long[]> after = histogram(pid);
      long usedAfter = total(after);
      int made = count - probe.failed.get();
      System.out.printf("idle-chats: %d chats set up in %d s (%d failed), %d warm-up before, "
          + "each count %d s after its set-up%n", made, secs, probe.failed.get(), warm,
          idleMillis / 1000);
      if (media) {
        System.out.printf("idle-chats: %d chats on the node in all, over %d MSRP connections "
            + "(up to %d chats each)%n", warm + made, probe.media.size(), perConnection);
      }
      System.out.printf("idle-chats: live heap %,d -> %,d bytes: %,d bytes per idle chat%n",
          usedBefore, usedAfter, (usedAfter - usedBefore) / Math.max(1, made));
      System.out.printf("idle-chats: extrapolated live heap for 100,000 idle chats: %,d MiB%n",
          (usedBefore + (usedAfter - usedBefore) * 100_000L / Math.max(1, made)) >> 20);
      printDiff(before, after, made, top);
    } finally {
      System.out.flush();
      // Thousands of open connections: a JAIN-SIP stack stop over them took minutes. The
      // process's end closes every socket at once, which is all the node needs to see.
      Runtime.getRuntime().halt(probe.failed.get() == 0 ? 0 : 1);
    }
  }

  /** Sets up {@code n} chats on the workers; returns when every one is set up or failed. */
  private void setUp(int n) throws InterruptedException {
    AtomicInteger left = new AtomicInteger(n);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      CpmClient client = clients.get(w);
      pool.execute(() -> {
        while (left.getAndDecrement() > 0) {
          try {
            chat(client, next.getAndIncrement());
          } catch (Exception | AssertionError e) {
            failed.incrementAndGet();
            if (firstFailuresShown.getAndIncrement() < 5) {
              System.err.println("idle-chats: a chat failed: " + e);
            }
          }
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("set-up did not end");
    }
  }

  private void chat(CpmClient client, int i) throws Exception {
    String smsUser = String.format("+44772%07d", i);
    CpmClient.Call call = client.invite("127.0.0.1", sipPort, smsUser, "Conversation-ID: conv-"
        + RandomIds.token() + "\r\nContribution-ID: contr-" + RandomIds.token()
        + "\r\nAccept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    if (ok.getStatusCode() != 200) {
      throw new IllegalStateException("INVITE answered " + ok.getStatusCode());
    }
    client.ack(call, ok);
    if (!bindMedia) {
      return;
    }
    bind(client, new String(ok.getRawContent(), StandardCharsets.UTF_8));
  }

  /**
   * Binds the 200's MSRP path with an empty SEND over this worker's connection (a new one once
   * it carries {@code perConnection} chats), waits for its 200, keeps the connection open.
   */
  private void bind(CpmClient client, String sdp) throws Exception {
    String path = CpmClient.msrpPath(sdp);
    MsrpUri uri = MsrpUri.parse(path);
    Media m = filling.get(client);
    if (m == null || m.chats().get() >= perConnection) {
      Socket s = new Socket(uri.host(), uri.port());
      s.setSoTimeout((int) WAIT.toMillis());
      m = new Media(s, new MsrpParser(1 << 16), new AtomicInteger());
      media.add(m);
      filling.put(client, m);
    }
    m.chats().incrementAndGet();
    String tid = RandomIds.token();
    m.socket().getOutputStream().write(MsrpWriter.write(MsrpWriter.send(tid, path,
        client.msrpUri(), "bind" + tid, ByteRange.whole(0), false, null, "text/plain",
        new byte[0], '$')));
    InputStream in = m.socket().getInputStream();
    byte[] buf = new byte[2048];
    while (true) {
      int r = in.read(buf);
      if (r < 0) {
        throw new IOException("MSRP connection closed before the bind's answer");
      }
      for (MsrpFrame f : m.parser().feed(buf, 0, r)) {
        if (!f.isRequest() && f.transactionId().equals(tid)) {
          if (f.status() != 200) {
            throw new IllegalStateException("bind answered " + f.status());
          }
          return;
        }
      }
    }
  }

  /** The node's live objects per class after a full GC (jcmd GC.class_histogram). */
  private static Map<String, long[]> histogram(long pid) throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
        .redirectErrorStream(true).start();
    Map<String, long[]> h = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = HISTO.matcher(line);
        if (m.matches()) {
          h.merge(m.group(3), new long[] {Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2))}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
      }
    }
    if (p.waitFor() != 0 || h.isEmpty()) {
      throw new IllegalStateException("jcmd GC.class_histogram " + pid + " failed");
    }
    return h;
  }

  private static long total(Map<String, long[]> h) {
    return h.values().stream().mapToLong(v -> v[1]).sum();
  }

  private static void printDiff(Map<String, long[]> before, Map<String, long[]> after,
      int chats, int top) {
    List<Map.Entry<String, long[]>> d = new ArrayList<>();
    for (var e : after.entrySet()) {
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      d.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
    }
    d.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (var e : d) {
      groups.merge(group(e.getKey()), e.getValue()[1], Long::sum);
    }
    System.out.println("idle-chats: bytes added per chat by package");
    groups.entrySet().stream().filter(g -> Math.abs(g.getValue()) >= chats).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .forEach(g -> System.out.printf("%10.1f  %s%n", g.getValue() / (double) chats,
            g.getKey()));
    System.out.printf("idle-chats: top %d classes by bytes added per chat%n", top);
    System.out.printf("%10s %10s  %s%n", "bytes/chat", "objs/chat", "class");
    for (int i = 0; i < Math.min(top, d.size()); i++) {
      long[] v = d.get(i).getValue();
      System.out.printf("%10.1f %10.2f  %s%n", v[1] / (double) chats, v[0] / (double) chats,
          d.get(i).getKey());
    }
  }

  /** A class's package, to the depth that names a component (pekko.persistence, gov.nist…). */
  private static String group(String className) {
    String c = className.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
    String[] parts = c.split("\\.");
    if (parts.length == 1) {
      return "(arrays of primitives)";
    }
    int depth = c.startsWith("org.apache.pekko.") || c.startsWith("org.ipsmgw.") ? 4
        : c.startsWith("java.") || c.startsWith("scala.") ? 2 : 3;
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
  }
}
