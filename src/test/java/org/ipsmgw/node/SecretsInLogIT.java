package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it, and its whole output (stdout and stderr) searched for
 * unique secrets: the SMPP password, the admin token and the database password never appear,
 * neither after failed binds nor after a refused start. A bad configuration is one line, exit 1.
 */
class SecretsInLogIT {
  /** The WARN line the SMPP edge writes for each failed bind attempt. */
  private static final String BIND_DOWN = "SMPP bind 1 to 127.0.0.1:";

  @TempDir
  Path workDir;
  private final List<JarProcess> started = new ArrayList<>();
  private SmscSimulator smsc;

  @AfterEach
  void stopAll() throws InterruptedException {
    for (JarProcess p : started) {
      p.stop();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  /** The jar with these IPSMGW_ variables and arguments, in the test's working directory. */
  private JarProcess start(Map<String, String> env, String... args) throws IOException {
    JarProcess p = new JarProcess(workDir, env, args);
    started.add(p);
    return p;
  }

  private static Map<String, String> ports(int smscPort, int admin) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(admin));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(smscPort));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    return env;
  }

  /** Unique, so a hit in the output can only be a leak. */
  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  private static void assertNoSecret(JarProcess child, Map<String, String> secrets) {
    for (String line : child.all()) {
      for (Map.Entry<String, String> s : secrets.entrySet()) {
        assertFalse(line.contains(s.getValue()), s.getKey() + " in the output: " + line);
      }
    }
  }

  private static void assertOneLine(JarProcess child, String expectedStart) {
    List<String> lines = child.err.stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "stderr: " + lines);
    assertTrue(lines.get(0).startsWith(expectedStart), lines.get(0));
  }

  private static HttpResponse<String> getPolicy(int admin, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + admin + "/api/v1/policy"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The SMSC refuses the bind (wrong password of a valid length): several attempts, each a WARN
   * line, and the admin API used with the right and a wrong token; then the node stops. Neither
   * secret is anywhere in its output.
   */
  @Test
  void failedBindsPrintNoSecret() throws Exception {
    smsc = SmscSimulator.start(new SimulatorOptions("127.0.0.1", 0, Duration.ofMillis(200), 1.0,
        0, false, "rightPw1", -1));
    String smppPassword = "W" + UUID.randomUUID().toString().substring(0, 7);
    String token = unique("tok-");
    String dbPassword = unique("db-");
    int admin = TestPorts.free();
    Map<String, String> env = ports(smsc.port(), admin);
    env.put("IPSMGW_SMSC_PASSWORD", smppPassword);
    env.put("IPSMGW_ADMIN_TOKEN", token);
    env.put("IPSMGW_DB_PASSWORD", dbPassword);
    Path conf = workDir.resolve("node.conf");
    Files.writeString(conf, "ipsmgw.smsc.reconnect { min-backoff = 100ms, max-backoff = 200ms }\n");
    JarProcess node = start(env, "--config", conf.toString());

    assertNotNull(node.ready.get(30, TimeUnit.SECONDS),
        "no ready line; stdout: " + node.out + " stderr: " + node.err);
    assertEquals(200, getPolicy(admin, token).statusCode());
    assertEquals(401, getPolicy(admin, token + "x").statusCode());
    Await.until(() -> node.out.stream().filter(l -> l.contains(BIND_DOWN)).count() >= 3,
        Duration.ofSeconds(30), "three failed bind attempts logged");
    assertEquals(0, smsc.boundSessions(), "the SMSC refused every bind");
    node.process.destroy();
    node.exitCode(30);

    List<String> bindFailures = node.out.stream().filter(l -> l.contains(BIND_DOWN)).toList();
    assertTrue(bindFailures.get(0).contains("WARN") && bindFailures.get(0).contains("cannot bind"),
        bindFailures.get(0));
    assertNoSecret(node, Map.of("SMPP password", smppPassword, "admin token", token,
        "database password", dbPassword));
  }

  /**
   * A password longer than SMPP allows (8 octets) stops the start at once: one line naming the
   * key, exit 1, and none of the secrets in the output.
   */
  @Test
  void tooLongPasswordStopsTheStartWithoutPrintingIt() throws Exception {
    String smppPassword = unique("P");
    String token = unique("tok-");
    String dbPassword = unique("db-");
    Map<String, String> env = ports(TestPorts.free(), TestPorts.free());
    env.put("IPSMGW_SMSC_PASSWORD", smppPassword);
    env.put("IPSMGW_ADMIN_TOKEN", token);
    env.put("IPSMGW_DB_PASSWORD", dbPassword);
    JarProcess node = start(env);

    assertEquals(1, node.exitCode(30), "stdout: " + node.out + " stderr: " + node.err);
    assertOneLine(node, "ipsmgw: configuration error: ");
    assertTrue(node.err.stream().anyMatch(l -> l.contains("ipsmgw.smsc.password")
        && l.contains("at most 8")), "names the key and its limit: " + node.err);
    assertNoSecret(node, Map.of("SMPP password", smppPassword, "admin token", token,
        "database password", dbPassword));
  }

  /** A typo'd key in the operator's file stops the start naming it and the nearest known key. */
  @Test
  void typoInTheConfigFileStopsTheStart() throws Exception {
    Path conf = workDir.resolve("typo.conf");
    Files.writeString(conf, "ipsmgw.policy.default-invitaton = ACCEPT\n");
    JarProcess node = start(ports(TestPorts.free(), TestPorts.free()), "--config",
        conf.toString());

    assertEquals(1, node.exitCode(30), "stdout: " + node.out + " stderr: " + node.err);
    assertOneLine(node, "ipsmgw: configuration error: unknown key "
        + "ipsmgw.policy.default-invitaton (did you mean ipsmgw.policy.default-invitation?)");
  }
}
