package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: a child process in its own working directory, on free
 * loopback ports. Waits on the process's own output and exit, never on sleeps.
 */
class NodeProcessIT {
  private static SmscSimulator smsc;

  @TempDir
  Path workDir;
  private final List<JarProcess> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (JarProcess p : started) {
      p.stop();
    }
  }

  /** The jar with these IPSMGW_ variables and arguments, in the test's working directory. */
  private JarProcess start(Map<String, String> env, String... args) throws IOException {
    JarProcess p = new JarProcess(workDir, env, args);
    started.add(p);
    return p;
  }

  private static int freePort() throws IOException {
    return org.ipsmgw.TestPorts.free();
  }

  /** Free ports, and the test's SMSC simulator: a node is ready only once bound to an SMSC. */
  private static Map<String, String> ports(int admin) throws IOException {
    return Map.of("IPSMGW_ADMIN_PORT", String.valueOf(admin),
        "IPSMGW_CLUSTER_PORT", String.valueOf(freePort()),
        "IPSMGW_SMSC_PORT", String.valueOf(smsc.port()),
        "IPSMGW_MSRP_PORT", String.valueOf(freePort()),
        "IPSMGW_SIP_PORT", String.valueOf(freePort()));
  }

  @org.junit.jupiter.api.BeforeAll
  static void startSmsc() throws IOException {
    smsc = SmscSimulator.start(SimulatorOptions.defaults());
  }

  @org.junit.jupiter.api.AfterAll
  static void stopSmsc() {
    smsc.close();
  }

  private static void assertOneClearLine(JarProcess child, String expectedStart) {
    List<String> lines = child.err.stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "stderr: " + lines);
    assertTrue(lines.get(0).startsWith(expectedStart), lines.get(0));
    for (String l : child.err) {
      assertFalse(l.contains("Exception") || l.strip().startsWith("at "), "stack trace: " + l);
    }
  }

  /** Starts the jar on free ports and waits for its ready line and a 200 from /ready. */
  private JarProcess startReady(int admin) throws Exception {
    JarProcess node = start(ports(admin));
    String ready = node.ready.get(20, TimeUnit.SECONDS);
    assertTrue(ready != null, "no ready line; stdout: " + node.out + " stderr: " + node.err);
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + admin + "/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return node;
  }

  @Test
  void startsReadyWithin20SecondsAndExits0OnSigterm() throws Exception {
    int admin = freePort();
    JarProcess node = startReady(admin);
    assertTrue(node.out.stream().anyMatch(l -> l.contains("ipsmgw node listening: cluster 127.0.0.1:")
        && l.contains("admin http://127.0.0.1:" + admin) && l.contains("jdbc:h2:file:./data/ipsmgw")),
        "listening line: " + node.out);
    assertTrue(Files.exists(workDir.resolve("data/ipsmgw.mv.db")), "H2 journal under ./data");

    // kill -TERM, not Process.destroy(): that also closes the child's output pipes, and the
    // checks below would see nothing the node logged while stopping.
    Process term = new ProcessBuilder("kill", "-TERM", String.valueOf(node.process.pid()))
        .inheritIO().start();
    assertTrue(term.waitFor(10, TimeUnit.SECONDS) && term.exitValue() == 0, "kill -TERM failed");
    assertEquals(0, node.exitCode(30), "stdout: " + node.out + " stderr: " + node.err);
    assertTrue(node.out.stream().anyMatch(l -> l.contains("leaving: SMPP gateway drained")),
        "the leave's lines are in the log: " + node.out);
    assertTrue(node.err.isEmpty(), "stderr: " + node.err);
    assertTrue(node.out.stream().noneMatch(l -> l.contains(" ERROR ")), "errors: " + node.out);
  }

  @Test
  void readyNamesTheSmscBindWhileNoSmscAnswers() throws Exception {
    int admin = freePort();
    int noSmsc = freePort();
    Map<String, String> env = new java.util.HashMap<>(ports(admin));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(noSmsc));
    JarProcess node = start(env);
    assertTrue(node.ready.get(20, TimeUnit.SECONDS) != null,
        "no ready line; stdout: " + node.out + " stderr: " + node.err);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/ready"))
        .build();
    // The other checks (cluster membership, sharding) pass a moment after the ready line; the
    // SMSC bind never does, and /ready then names it.
    String[] body = new String[1];
    org.ipsmgw.Await.until(() -> {
      try {
        HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
        body[0] = r.statusCode() + " " + r.body();
      } catch (IOException | InterruptedException e) {
        body[0] = e.toString();
      }
      return body[0].contains("smsc bind");
    }, java.time.Duration.ofSeconds(20), "/ready names the SMSC bind");
    assertEquals("500 Health Check Failed: Check [org.ipsmgw.sms.SmscReadiness] failed: "
        + "not ready: smsc bind: 0 of 1 binds to the SMSC at 127.0.0.1:" + noSmsc + " up", body[0]);
  }

  @Test
  void ctrlCExits0() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(!JarProcess.sigintReset()
        && JarProcess.sigintIgnoredHere(),
        "SIGINT is ignored in this JVM and inherited by its children; no GNU env "
            + "--default-signal to reset it (coreutils 8.31+)");
    JarProcess node = startReady(freePort());
    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(node.process.pid()))
        .inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
    assertEquals(0, node.exitCode(30), "stdout: " + node.out + " stderr: " + node.err);
    assertTrue(node.err.isEmpty(), "stderr: " + node.err);
  }

  @Test
  void portOutOfRangeStopsWithOneLine() throws Exception {
    JarProcess node = start(Map.of("IPSMGW_ADMIN_PORT", "70000"));
    assertEquals(1, node.exitCode(30));
    assertOneClearLine(node, "ipsmgw: configuration error: ipsmgw.admin.port = 70000");
  }

  @Test
  void unreachableDatabaseStopsWithOneLine() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(ports(freePort()));
    env.put("IPSMGW_DB_URL", "jdbc:postgresql://127.0.0.1:" + freePort() + "/ipsmgw");
    env.put("IPSMGW_DB_PASSWORD", "do-not-log-me");
    JarProcess node = start(env);
    assertEquals(1, node.exitCode(30));
    assertOneClearLine(node, "ipsmgw: cannot use the journal database jdbc:postgresql://127.0.0.1:");
    assertFalse(String.join("\n", node.out).contains("do-not-log-me"), "password in the log");
  }

  @Test
  void adminPortInUseStopsWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JarProcess node = start(ports(taken.getLocalPort()));
      assertEquals(1, node.exitCode(60));
      assertOneClearLine(node, "ipsmgw: cannot start admin HTTP on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void msrpPortInUseStopsWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new java.util.HashMap<>(ports(freePort()));
      env.put("IPSMGW_MSRP_PORT", String.valueOf(taken.getLocalPort()));
      JarProcess node = start(env);
      assertEquals(1, node.exitCode(60));
      assertOneClearLine(node, "ipsmgw: cannot start the MSRP endpoint on 127.0.0.1:"
          + taken.getLocalPort());
    }
  }

  @Test
  void clusterPortInUseStopsWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JarProcess node = start(Map.of("IPSMGW_ADMIN_PORT", String.valueOf(freePort()),
          "IPSMGW_CLUSTER_PORT", String.valueOf(taken.getLocalPort())));
      assertEquals(1, node.exitCode(60));
      assertOneClearLine(node, "ipsmgw: cannot start the cluster endpoint on 127.0.0.1:"
          + taken.getLocalPort());
    }
  }

  @Test
  void badArgumentsExit2AndHelpExits0() throws Exception {
    JarProcess client = start(Map.of(), "cpm-client", "--gateway", "nowhere");
    assertEquals(2, client.exitCode(30));
    assertTrue(client.err.get(0).startsWith("cpm-client: --gateway must be host:port"),
        client.err.toString());
    JarProcess late = start(Map.of(), "--config", "x.conf", "cpm-client");
    assertEquals(2, late.exitCode(30));
    assertTrue(late.err.get(0).startsWith("ipsmgw: 'cpm-client' must be the first argument"),
        late.err.toString());
    JarProcess bad = start(Map.of(), "--frobnicate");
    assertEquals(2, bad.exitCode(30));
    assertTrue(bad.err.get(0).startsWith("ipsmgw: unknown argument '--frobnicate'"), bad.err.toString());
    assertTrue(bad.err.stream().anyMatch(l -> l.startsWith("usage: ")), bad.err.toString());
    JarProcess help = start(Map.of(), "--help");
    assertEquals(0, help.exitCode(30));
    assertTrue(help.out.stream().anyMatch(l -> l.startsWith("usage: ")), help.out.toString());
  }
}
