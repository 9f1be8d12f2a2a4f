package org.ipsmgw.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/entrypoint.sh, run by sh with a fake {@code java} (and {@code hostname}) first on
 * the PATH: the fake records its arguments, environment and PID, so the command line the image
 * would run, its defaults and overrides are seen, and the PID shows the script exec'd it.
 */
class EntrypointScriptTest {
  private static final Path SCRIPT = DeployFiles.DOCKER.resolve("entrypoint.sh");
  private static final String JAR = "/opt/ipsmgw/ipsmgw.jar";

  @TempDir
  Path dir;

  private record Run(int exit, long pid, String stderr, Path dir) {
    List<String> args() throws IOException {
      return Files.readAllLines(dir.resolve("java.args"));
    }

    Map<String, String> env() throws IOException {
      Map<String, String> env = new TreeMap<>();
      for (String line : Files.readAllLines(dir.resolve("java.env"))) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return env;
    }

    long javaPid() throws IOException {
      return Long.parseLong(Files.readString(dir.resolve("java.pid")).strip());
    }

    boolean javaRan() {
      return Files.exists(dir.resolve("java.args"));
    }
  }

  private void fakeTools(String hostnameOutput, String javaTail) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    write(bin.resolve("java"), "#!/bin/sh\n"
        + "echo $$ > '" + dir.resolve("java.pid") + "'\n"
        + "env > '" + dir.resolve("java.env") + "'\n"
        + "printf '%s\\n' \"$@\" > '" + dir.resolve("java.args") + "'\n" + javaTail);
    write(bin.resolve("hostname"), "#!/bin/sh\n"
        + "[ \"$1\" = -i ] || exit 1\n"
        + (hostnameOutput == null ? "exit 1\n" : "echo '" + hostnameOutput + "'\n"));
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    // Only what the test gives: the machine's own IPSMGW_* variables must not leak in.
    pb.environment().clear();
    pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
    pb.environment().putAll(env);
    return pb;
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    Process p = builder(env, args).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "entrypoint ended");
    return new Run(p.exitValue(), p.pid(), Files.readString(dir.resolve("stderr")), dir);
  }

  @Test
  void nodeByDefaultWithContainerMemoryFlagsAndTheContainersAddress() throws Exception {
    fakeTools("172.28.0.11 fd00::11", "");
    Run r = run(Map.of());
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR,
        "node"), r.args());
    Map<String, String> env = r.env();
    for (String name : List.of("IPSMGW_SIP_HOST", "IPSMGW_MSRP_HOST", "IPSMGW_ADMIN_HOST",
        "IPSMGW_CLUSTER_HOST")) {
      assertEquals("172.28.0.11", env.get(name), name + ": the first address of hostname -i");
    }
  }

  @Test
  void theScriptExecsJavaSoSigtermReachesIt() throws Exception {
    // The fake JVM stays up until SIGTERM and then exits 0, as the node does after its leave.
    fakeTools("10.0.0.7", "trap 'echo TERM > \"" + dir.resolve("java.term")
        + "\"; exit 0' TERM\n"
        // Told once the trap is set: a SIGTERM before it would end the fake, not test the exec.
        + "touch '" + dir.resolve("java.trapping") + "'\n"
        // Bounded, so a script that did not exec cannot leave it running for long.
        + "i=0; while [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done\n");
    Process p = builder(Map.of()).start();
    try {
      Await.until(() -> Files.exists(dir.resolve("java.trapping")), Duration.ofSeconds(20),
          "the fake java to start and set its SIGTERM trap");
      Run r = new Run(-1, p.pid(), "", dir);
      Await.until(() -> {
        try {
          return r.javaPid() == p.pid();
        } catch (IOException | NumberFormatException e) {
          return false;
        }
      }, Duration.ofSeconds(5), "java to run as the entrypoint's own process (exec), pid "
          + p.pid());
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped by SIGTERM");
      assertEquals(0, p.exitValue(), "SIGTERM went to java, which exited 0");
      assertTrue(Files.exists(dir.resolve("java.term")), "java got the SIGTERM");
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void overridesWin() throws Exception {
    fakeTools("172.28.0.12", "");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_MAX_RAM_PERCENTAGE", "60");
    env.put("JAVA_OPTS", "-Xss512k * -Xlog:gc");
    env.put("NODE_CONFIG", "/etc/ipsmgw/node.conf");
    env.put("POD_IP", "10.1.2.3");
    env.put("IPSMGW_SIP_HOST", "10.9.9.9");
    env.put("IPSMGW_DB_PASSWORD", "pw");
    Run r = run(env, "--help");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(List.of("-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-Xss512k",
        "*", "-Xlog:gc", "-jar", JAR, "node", "--config", "/etc/ipsmgw/node.conf", "--help"),
        r.args(), "JAVA_OPTS split at spaces and never globbed, NODE_CONFIG as --config");
    Map<String, String> seen = r.env();
    assertEquals("10.9.9.9", seen.get("IPSMGW_SIP_HOST"), "a set variable is kept");
    assertEquals("10.1.2.3", seen.get("IPSMGW_MSRP_HOST"), "POD_IP before hostname -i");
    assertEquals("10.1.2.3", seen.get("IPSMGW_ADMIN_HOST"));
    assertEquals("10.1.2.3", seen.get("IPSMGW_CLUSTER_HOST"));
    assertEquals("pw", seen.get("IPSMGW_DB_PASSWORD"), "the node's variables pass through");
  }

  @Test
  void theNodeAcceptsTheEnvironmentTheScriptHandsIt() throws Exception {
    fakeTools("172.28.0.13", "");
    Run r = run(Map.of("IPSMGW_SIP_PORT", "5070"), "node");
    assertEquals(0, r.exit(), r.stderr());
    Map<String, String> ipsmgw = new TreeMap<>();
    r.env().forEach((k, v) -> {
      if (k.startsWith("IPSMGW_")) {
        ipsmgw.put(k, v);
      }
    });
    DeployFiles.assertReadVariables("entrypoint.sh", ipsmgw.keySet(), DeployFiles.entrypointVariables());
    // The node's own loader (which refuses unknown IPSMGW_* variables) on what it would get.
    Config c = DeployFiles.nodeConfig(null, ipsmgw);
    assertEquals("172.28.0.13", c.getString("ipsmgw.sip.host"));
    assertEquals("172.28.0.13", c.getString("ipsmgw.msrp.host"));
    assertEquals("172.28.0.13", c.getString("pekko.management.http.hostname"));
    assertEquals("172.28.0.13", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(5070, c.getInt("ipsmgw.sip.port"));
  }

  @Test
  void theToolsRunWithoutTheNodesDefaults() throws Exception {
    fakeTools("172.28.0.6", "");
    Run r = run(Map.of(), "smsc-sim", "--host", "0.0.0.0", "--port", "2775");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", JAR,
        "smsc-sim", "--host", "0.0.0.0", "--port", "2775"), r.args());
    assertFalse(r.env().containsKey("IPSMGW_SIP_HOST"), "a simulator gets no node addresses");
  }

  @Test
  void noAddressFoundIsOneClearLineAndNoJava() throws Exception {
    fakeTools(null, "");
    Run r = run(Map.of());
    assertEquals(1, r.exit());
    assertTrue(r.stderr().contains("cannot find this container's address")
        && r.stderr().contains("set POD_IP"), r.stderr());
    assertFalse(r.javaRan(), "no node started without an address");
  }

  @Test
  void anUnknownCommandIsRefused() throws Exception {
    fakeTools("172.28.0.11", "");
    Run r = run(Map.of(), "nod");
    assertEquals(2, r.exit());
    assertTrue(r.stderr().contains("unknown command 'nod'"), r.stderr());
    assertFalse(r.javaRan());
  }
}
