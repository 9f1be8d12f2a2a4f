package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with {@code IPSMGW_CLUSTER_BOOTSTRAP=kubernetes-api}, where no Kubernetes runs: outside
 * a pod it stops with one line; given a pod's service-account files and an API address nobody
 * answers on, Cluster Bootstrap asks the API for the pods again and again and the node does not
 * form a cluster on its own; SIGTERM still stops it cleanly.
 */
class ClusterBootstrapIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path workDir;
  private JarProcess node;

  @AfterEach
  void stop() throws InterruptedException {
    if (node != null) {
      node.stop();
    }
  }

  private static Map<String, String> env(int apiPort) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_CLUSTER_BOOTSTRAP", "kubernetes-api");
    env.put("IPSMGW_K8S_SERVICE_NAME", "gw-test");
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(TestPorts.free()));
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", String.valueOf(apiPort));
    return env;
  }

  @Test
  void outsideAPodTheStartStopsWithOneLine() throws Exception {
    Path conf = workDir.resolve("node.conf");
    Files.writeString(conf, "pekko.discovery.kubernetes-api.api-ca-path = \""
        + workDir.resolve("no-such-ca.crt") + "\"\n");
    node = new JarProcess(workDir, env(TestPorts.free()), "node", "--config", conf.toString());
    assertEquals(1, node.exitCode(60), "stdout: " + node.out + " stderr: " + node.err);
    List<String> err = node.err.stream().filter(l -> !l.isBlank()).toList();
    assertEquals(List.of("ipsmgw: cannot start cluster bootstrap on the Kubernetes API: file not "
        + "found: " + workDir.resolve("no-such-ca.crt") + " (not running in a Kubernetes pod?)"),
        err);
  }

  @Test
  void withNoApiServerBootstrapKeepsAskingAndNoClusterFormsAlone() throws Exception {
    Path ca = serviceAccountCertificate();
    Path token = Files.writeString(workDir.resolve("token"), "not-a-real-token\n");
    Path conf = workDir.resolve("node.conf");
    Files.writeString(conf, "pekko.discovery.kubernetes-api {\n"
        + "  api-ca-path = \"" + ca + "\"\n"
        + "  api-token-path = \"" + token + "\"\n"
        + "  pod-namespace-path = \"" + workDir.resolve("no-namespace-file") + "\"\n"
        + "  pod-namespace = \"ipsmgw-test\"\n"
        + "}\n");
    node = new JarProcess(workDir, env(TestPorts.free()), "node", "--config", conf.toString());
    String query = "Querying for pods with label selector: [app=gw-test]. Namespace: [ipsmgw-test]";
    Await.until(() -> node.out.stream().filter(l -> l.contains(query)).count() >= 2, WAIT,
        "two lookups of the pods through the Kubernetes API; stdout: " + node.out);
    assertTrue(node.out.stream().anyMatch(l -> l.contains("cluster bootstrap started: looking for "
        + "pods labelled app=gw-test through the Kubernetes API (2 needed to form a new cluster)")),
        "bootstrap line: " + node.out);
    // After the second lookup: the node did not join itself as a seed-less node would.
    assertFalse(node.out.stream().anyMatch(l -> l.contains("is JOINING itself")
        || l.contains("ipsmgw node ready")), "formed a cluster alone: " + node.out);
    assertFalse(node.ready.isDone(), "ready without a cluster");
    Process term = new ProcessBuilder("kill", "-TERM", String.valueOf(node.process.pid()))
        .inheritIO().start();
    assertTrue(term.waitFor(10, TimeUnit.SECONDS) && term.exitValue() == 0, "kill -TERM failed");
    assertEquals(0, node.exitCode(60), "stdout: " + node.out + " stderr: " + node.err);
    assertTrue(node.err.isEmpty(), "stderr: " + node.err);
    assertFalse(String.join("\n", node.out).contains("not-a-real-token"), "token in the log");
  }

  /** A PEM certificate as a pod's service account carries, made with the JDK's keytool. */
  private Path serviceAccountCertificate() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = workDir.resolve("ca.p12");
    Path pem = workDir.resolve("ca.crt");
    run(keytool.toString(), "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-dname", "CN=test",
        "-validity", "2", "-keystore", store.toString(), "-storepass", "changeit");
    run(keytool.toString(), "-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(),
        "-storepass", "changeit", "-file", pem.toString());
    return pem;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
  }
}
