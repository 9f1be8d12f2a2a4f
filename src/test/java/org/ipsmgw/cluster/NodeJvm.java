package org.ipsmgw.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.TestPorts;

/**
 * One ipsmgw node as its own JVM ({@code java -jar target/ipsmgw.jar}) on free loopback ports,
 * with a GC log under {@code target/failover/}: what the failover test kills with SIGKILL, stops
 * with SIGTERM, and asks over its admin HTTP. Output is collected line by line into
 * {@code target/failover/<name>.log}-style lists for failure messages.
 */
final class NodeJvm implements AutoCloseable {
  private static final String JAR = System.getProperty("ipsmgw.jar", "target/ipsmgw.jar");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** A pause line of -Xlog:gc (JDK 17 unified logging), e.g. "GC(3) Pause Young ... 3.456ms". */
  private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .* (\\d+(?:\\.\\d+)?)ms$");

  final String name;
  final int sipPort = TestPorts.free();
  final int msrpPort = TestPorts.free();
  final int adminPort = TestPorts.free();
  final int clusterPort;
  final Path gcLog;
  final List<String> output = new CopyOnWriteArrayList<>();
  private final Path dir;
  private Process process;
  private final Thread killer = new Thread(this::kill9);

  NodeJvm(String name, int clusterPort) throws IOException {
    this.name = name;
    this.clusterPort = clusterPort;
    this.dir = Files.createDirectories(Path.of("target", "failover", name)).toAbsolutePath();
    this.gcLog = dir.resolve("gc.log");
  }

  /** Starts the JVM with these IPSMGW_ variables (ports are this node's own) and --config. */
  NodeJvm start(Map<String, String> env, Path overlay) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-Xlog:gc*:file=" + gcLog + ":uptime,level,tags",
        "-jar", new File(JAR).getAbsolutePath()));
    if (overlay != null) {
      command.addAll(List.of("--config", overlay.toAbsolutePath().toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("IPSMGW_"));
    Map<String, String> all = new HashMap<>(env);
    all.put("IPSMGW_SIP_PORT", String.valueOf(sipPort));
    all.put("IPSMGW_MSRP_PORT", String.valueOf(msrpPort));
    all.put("IPSMGW_ADMIN_PORT", String.valueOf(adminPort));
    all.put("IPSMGW_CLUSTER_PORT", String.valueOf(clusterPort));
    pb.environment().putAll(all);
    process = pb.start();
    Runtime.getRuntime().addShutdownHook(killer);
    drain(process.getInputStream());
    return this;
  }

  private void drain(InputStream stream) {
    Thread t = new Thread(() -> {
      // Also to output.log as it comes: the node's story after a failed run, even a killed one.
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream,
          StandardCharsets.UTF_8));
          java.io.Writer file = Files.newBufferedWriter(dir.resolve("output.log"),
              StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          file.write(line);
          file.write('\n');
          file.flush();
        }
      } catch (IOException ended) {
        // The process ended.
      }
    }, "node-output-" + name);
    t.setDaemon(true);
    t.start();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** GET on the admin port; status and body, or status -1 when it does not answer. */
  HttpAnswer get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return new HttpAnswer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new HttpAnswer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HttpAnswer(-1, "interrupted");
    }
  }

  HttpAnswer put(String path, String json) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + adminPort + path)).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new HttpAnswer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new HttpAnswer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HttpAnswer(-1, "interrupted");
    }
  }

  record HttpAnswer(int status, String body) {}

  /** Waits until /ready answers 200, failing with the last answer and the node's output. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpAnswer last = null;
    Object monitor = new Object();
    while (System.nanoTime() < deadline) {
      if (!alive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ": " + tail());
      }
      last = get("/ready");
      if (last.status() == 200) {
        return;
      }
      synchronized (monitor) {
        monitor.wait(200);
      }
    }
    throw new AssertionError(name + " not ready within " + timeout + "; last /ready: " + last
        + "; output: " + tail());
  }

  /** SIGKILL: no shutdown hook, no cluster leave, nothing flushed. */
  void kill9() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGTERM (the graceful leave); the exit code, or -1 when it is still running after the wait. */
  int sigterm(Duration wait) throws InterruptedException {
    // Process.destroy() would also close the node's output pipe, and its leave would go unlogged.
    process.toHandle().destroy();
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    return process.exitValue();
  }

  /** The longest GC pause in this node's GC log so far, in milliseconds; and how many pauses. */
  GcPauses gcPauses() throws IOException {
    if (!Files.exists(gcLog)) {
      return new GcPauses(0, 0);
    }
    double max = 0;
    int count = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = PAUSE.matcher(line.strip());
      if (m.find()) {
        count++;
        max = Math.max(max, Double.parseDouble(m.group(1)));
      }
    }
    return new GcPauses(max, count);
  }

  record GcPauses(double maxMillis, int count) {}

  String tail() {
    List<String> copy = List.copyOf(output);
    return String.join("\n", copy.subList(Math.max(0, copy.size() - 40), copy.size()));
  }

  @Override
  public void close() {
    kill9();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException | IllegalArgumentException shuttingDown) {
      // The JVM is ending, or the hook was never added.
    }
  }
}
