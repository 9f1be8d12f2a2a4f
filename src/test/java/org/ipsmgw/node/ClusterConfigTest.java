package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The cluster's configuration: how a node finds its cluster (seed nodes by default, or Cluster
 * Bootstrap on the Kubernetes API), the fail-over timings, the graceful-leave waits, and the
 * three local node files.
 */
class ClusterConfigTest {
  private static Config load(Map<String, String> env) {
    return NodeConfig.load(null, env, new Properties());
  }

  private static String failure(Map<String, String> env) {
    return assertThrows(StartupException.class, () -> load(env)).getMessage();
  }

  @Test
  void seedNodesIsTheDefaultBootstrap() {
    Config c = load(Map.of());
    assertEquals("seed-nodes", c.getString("ipsmgw.cluster.bootstrap"));
    assertEquals(ClusterBootstrapMode.SEED_NODES, ClusterBootstrapMode.of(c));
    assertEquals("", c.getString(NodeConfig.BOOTSTRAP_ROUTE), "no /bootstrap routes served");
  }

  @Test
  void kubernetesBootstrapKeysReachPekkoManagementAndDiscovery() {
    Config c = load(Map.of("IPSMGW_CLUSTER_BOOTSTRAP", "kubernetes-api",
        "IPSMGW_K8S_SERVICE_NAME", "gw", "IPSMGW_K8S_POD_LABEL_SELECTOR", "app.kubernetes.io/name=%s",
        "IPSMGW_K8S_PORT_NAME", "admin", "IPSMGW_K8S_REQUIRED_CONTACT_POINTS", "3"));
    assertEquals(ClusterBootstrapMode.KUBERNETES_API, ClusterBootstrapMode.of(c));
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("kubernetes-api", c.getString(discovery + "discovery-method"));
    assertEquals("gw", c.getString(discovery + "service-name"));
    assertEquals("admin", c.getString(discovery + "port-name"));
    assertEquals(3, c.getInt(discovery + "required-contact-point-nr"));
    assertEquals("app.kubernetes.io/name=%s",
        c.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertEquals("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery",
        c.getString("pekko.discovery.kubernetes-api.class"));
    assertEquals("org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap$",
        c.getString(NodeConfig.BOOTSTRAP_ROUTE), "pods probe each other's /bootstrap routes");
  }

  @Test
  void aWrongBootstrapIsOneLine() {
    assertEquals("configuration error: ipsmgw.cluster.bootstrap = 'k8s' is not seed-nodes or "
        + "kubernetes-api", failure(Map.of("IPSMGW_CLUSTER_BOOTSTRAP", "k8s")));
    assertTrue(failure(Map.of("IPSMGW_CLUSTER_BOOTSTRAP", "kubernetes-api",
        "IPSMGW_SEED_NODES", "127.0.0.1:25520")).startsWith(
            "configuration error: ipsmgw.cluster.seed-nodes must be empty with "
                + "ipsmgw.cluster.bootstrap = kubernetes-api"));
    assertEquals("configuration error: ipsmgw.cluster.kubernetes.required-contact-points = 'two'"
        + " is not a number of pods (1-999)", failure(Map.of("IPSMGW_CLUSTER_BOOTSTRAP",
            "kubernetes-api", "IPSMGW_K8S_REQUIRED_CONTACT_POINTS", "two")));
  }

  @Test
  void failOverTimingsAreTheDocumentedOnes() {
    Config c = load(Map.of());
    assertEquals(Duration.ofMillis(500),
        c.getDuration("pekko.cluster.failure-detector.heartbeat-interval"));
    assertEquals(Duration.ofSeconds(2),
        c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
    assertEquals(Duration.ofMillis(1500),
        c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.down-removal-margin"));
    assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.leader-actions-interval"));
    assertEquals(Duration.ofMillis(250),
        c.getDuration("pekko.cluster.unreachable-nodes-reaper-interval"));
    assertEquals(Duration.ofMillis(500), c.getDuration("pekko.cluster.gossip-interval"));
    assertEquals(Duration.ofSeconds(1), c.getDuration("pekko.cluster.sharding.retry-interval"));
    assertEquals(Duration.ofSeconds(5),
        c.getDuration("pekko.cluster.sharding.waiting-for-state-timeout"));
    assertEquals(Duration.ofSeconds(2), c.getDuration("pekko.cluster.sharding.shard-failure-backoff"));
  }

  @Test
  void leaveWaitsMustFitTheirShutdownPhases() {
    Config c = load(Map.of());
    assertEquals(Duration.ofSeconds(3), c.getDuration(GracefulLeave.SIP_DRAIN_WAIT));
    assertEquals(Duration.ofSeconds(5), c.getDuration(GracefulLeave.SMPP_SETTLE));
    Properties tooLong = new Properties();
    tooLong.setProperty(GracefulLeave.SIP_DRAIN_WAIT, "10s");
    assertEquals("configuration error: ipsmgw.cluster.leave.sip-drain-wait = 10s must be shorter"
        + " than pekko.coordinated-shutdown.phases.service-unbind.timeout = 10s",
        assertThrows(StartupException.class, () -> NodeConfig.load(null, Map.of(), tooLong))
            .getMessage());
    Properties settle = new Properties();
    settle.setProperty(GracefulLeave.SMPP_SETTLE, "9s");
    assertTrue(assertThrows(StartupException.class, () -> NodeConfig.load(null, Map.of(), settle))
        .getMessage().startsWith("configuration error: ipsmgw.cluster.leave.smpp-settle = 9s"));
  }

  @Test
  void theThreeLocalNodesShareSeedsOnDistinctPorts() {
    List<String> ports = new java.util.ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      File file = Path.of("conf", "local" + n + ".conf").toFile();
      Config c = NodeConfig.load(file, Map.of(), new Properties());
      assertEquals(List.of("127.0.0.1:25521", "127.0.0.1:25522", "127.0.0.1:25523"),
          c.getStringList("ipsmgw.cluster.seed-nodes"));
      assertEquals("127.0.0.1:" + (25520 + n), "127.0.0.1:" + c.getInt("ipsmgw.cluster.port"));
      assertEquals("slick.jdbc.PostgresProfile$",
          c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.profile"));
      for (String key : List.of("ipsmgw.sip.port", "ipsmgw.msrp.port", "ipsmgw.admin.port",
          "ipsmgw.cluster.port")) {
        ports.add(key + "=" + c.getInt(key));
      }
      assertEquals("jdbc:postgresql://db.example:5432/gw", NodeConfig.load(file,
          Map.of("IPSMGW_DB_URL", "jdbc:postgresql://db.example:5432/gw"), new Properties())
          .getString("ipsmgw.db.url"), "IPSMGW_DB_URL over the file");
    }
    assertEquals(12, ports.stream().map(p -> p.substring(p.indexOf('=') + 1)).distinct().count(),
        "distinct ports: " + ports);
  }
}
