package org.ipsmgw.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ipsmgw.Await;
import org.ipsmgw.RandomIds;
import org.ipsmgw.TestPorts;

/**
 * Kamailio as the SIP front, run from the operator's config in {@code deploy/kamailio/}: a
 * dispatcher.list naming the given nodes is written under {@code target/}, the listen port is a
 * free loopback port, and {@code kamailio -DD -E} runs in the foreground (no daemon, no pid file,
 * logs on stderr, collected line by line and written to {@code kamailio.log} next to its
 * dispatcher.list). {@link #start} returns once the front answers an
 * OPTIONS; {@link #close} stops it and every process it forked, also when the test JVM ends
 * first. Without {@code kamailio} on the PATH the calling test is skipped ({@link #assume}), or
 * fails under {@code CI=true}.
 */
final class KamailioProcess implements AutoCloseable {
  static final String CONFIG = "deploy/kamailio/kamailio.cfg";
  private static final String KAMAILIO = System.getProperty("kamailio", "kamailio");
  private static final Duration START_WAIT = Duration.ofSeconds(20);

  final int port;
  final Path dir;
  final List<String> log = new CopyOnWriteArrayList<>();
  private final Process process;
  private final Thread killer;

  private KamailioProcess(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
    this.killer = new Thread(this::kill, "kamailio-killer-" + port);
    Runtime.getRuntime().addShutdownHook(killer);
    Thread reader = new Thread(this::readLog, "kamailio-log-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  static boolean installed() {
    if (KAMAILIO.contains(File.separator)) {
      return Files.isExecutable(Path.of(KAMAILIO));
    }
    List<String> dirs = new ArrayList<>(List.of(
        System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, KAMAILIO)));
  }

  /** Skips the test without Kamailio; under CI=true fails it instead, as the SIPp scenarios do. */
  static void assume() {
    String missing = KAMAILIO + " not on PATH: apt-get install kamailio";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertTrue(installed(), missing + " (CI=true: the front must run; .ci/run installs it"
          + " when it runs as root)");
    }
    assumeTrue(installed(), missing);
  }

  /**
   * Starts the front on a free port in front of {@code nodeSipPorts} (the nodes' SIP TCP
   * ports on 127.0.0.1), probing them every {@code pingInterval} seconds.
   */
  static KamailioProcess start(String name, List<Integer> nodeSipPorts, int pingInterval)
      throws Exception {
    int port = TestPorts.free();
    Path dir = Files.createDirectories(Path.of("target", "kamailio", name + "-" + port))
        .toAbsolutePath();
    StringBuilder list = new StringBuilder("# written by KamailioProcess\n");
    for (int node : nodeSipPorts) {
      list.append("1 ").append(nodeUri(node)).append('\n');
    }
    Path dispatcherList = dir.resolve("dispatcher.list");
    Files.writeString(dispatcherList, list.toString());
    List<String> command = List.of(KAMAILIO, "-DD", "-E", "-f",
        Path.of(CONFIG).toAbsolutePath().toString(),
        "-A", "SIP_PORT=" + port, "-A", "LISTEN_IP=127.0.0.1",
        "-A", "DISPATCHER_LIST=\"" + dispatcherList + "\"",
        "-A", "PING_INTERVAL=" + pingInterval, "-A", "FR_TIMER=1500", "-A", "CHILDREN=2",
        "-A", "LOG_LEVEL=2", "-Y", dir.toString(), "-w", dir.toString(), "-m", "32", "-M", "4");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    KamailioProcess k = new KamailioProcess(port, dir, p);
    try {
      k.awaitAnswering(START_WAIT);
    } catch (Exception | Error e) {
      k.close();
      throw e;
    }
    return k;
  }

  /** The dispatcher URI of a node, as written in dispatcher.list and logged by the front. */
  static String nodeUri(int sipPort) {
    return "sip:127.0.0.1:" + sipPort + ";transport=tcp";
  }

  /** Sends OPTIONS to the front itself over UDP until it answers 200. */
  private void awaitAnswering(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(250);
      while (true) {
        if (!process.isAlive()) {
          throw new AssertionError("kamailio exited with " + exitCode() + ": " + tail());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("kamailio did not answer OPTIONS on 127.0.0.1:" + port
              + " within " + timeout + ": " + tail());
        }
        byte[] b = options(socket.getLocalPort()).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
        DatagramPacket in = new DatagramPacket(new byte[65_535], 65_535);
        try {
          socket.receive(in);
          if (new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)
              .startsWith("SIP/2.0 200")) {
            return;
          }
        } catch (SocketTimeoutException notYet) {
          // Not listening yet; ask again.
        }
      }
    }
  }

  private String options(int localPort) {
    String branch = "z9hG4bK" + RandomIds.token();
    return "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=" + branch + ";rport\r\n"
        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=" + RandomIds.token() + "\r\n"
        + "To: <sip:127.0.0.1:" + port + ">\r\nCall-ID: " + RandomIds.token() + "@probe\r\n"
        + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  }

  /** Waits for a log line the predicate accepts; returns it. */
  String awaitLine(Predicate<String> wanted, Duration timeout, String what)
      throws InterruptedException {
    Await.until(() -> log.stream().anyMatch(wanted) || !process.isAlive(), timeout,
        what + " in kamailio's log");
    if (!process.isAlive()) {
      throw new AssertionError("kamailio exited while waiting for " + what + ": " + tail());
    }
    return log.stream().filter(wanted).findFirst().orElseThrow();
  }

  /** The front's "node down" line for the node on this SIP port (event_route dst-down). */
  String awaitNodeDown(int sipPort, Duration timeout) throws InterruptedException {
    return awaitLine(l -> l.contains("ipsmgw node down: " + nodeUri(sipPort)), timeout,
        "node " + sipPort + " leaving the dispatcher set");
  }

  /** How many requests of this method the front sent to the node on this SIP port so far. */
  long relayedTo(String method, int sipPort) {
    return log.stream().filter(l -> l.contains(method + " to node " + nodeUri(sipPort))).count();
  }

  String tail() {
    List<String> copy = List.copyOf(log);
    return String.join("\n", copy.subList(Math.max(0, copy.size() - 30), copy.size()));
  }

  private String exitCode() {
    return process.isAlive() ? "(running)" : String.valueOf(process.exitValue());
  }

  /**
   * Collects the front's lines and writes each to {@code kamailio.log} as it comes, so the log
   * is there to read while the test runs, and also when the JVM is killed before {@link #close}.
   */
  private void readLog() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
        java.io.Writer file = Files.newBufferedWriter(dir.resolve("kamailio.log"),
            StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        log.add(line);
        file.write(line);
        file.write('\n');
        file.flush();
      }
    } catch (IOException ended) {
      // The process ended; the lines read so far are what the test looks at.
    }
  }

  /** SIGTERM to kamailio and its children, then SIGKILL to whatever is left after 5 s. */
  private void kill() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : all) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is ending (the hook runs anyway) or target/ is gone: nothing more to keep.
    }
  }
}
