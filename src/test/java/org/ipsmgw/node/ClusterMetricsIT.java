package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.Scrape;
import org.ipsmgw.TestPorts;
import org.ipsmgw.TestPostgres;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.Test;

/**
 * The cluster metrics of node A as node B, a separate JVM (the jar) on the same embedded
 * PostgreSQL, joins and is then killed with SIGKILL: {@code ipsmgw_cluster_members{status="up"}}
 * 2, then {@code ipsmgw_cluster_unreachable} 1 once A's failure detector gives B up, and back to
 * 0 with one member up once the split-brain resolver has downed and removed it.
 */
class ClusterMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String UP = "ipsmgw_cluster_members{status=\"up\"}";
  private static final String UNREACHABLE = "ipsmgw_cluster_unreachable";

  private static double metric(EdgeNode node, String series) {
    try {
      return Scrape.value(node.node.adminPort(), series);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aKilledMemberIsUnreachableThenRemoved() throws Exception {
    try (EmbeddedPostgres postgres = TestPostgres.start()) {
      TwoMembers members = TwoMembers.on(postgres, "cluster_metrics");
      Map<String, String> envA = members.envA;
      try (EdgeNode a = EdgeNode.builder().smsc(SimulatorOptions.defaults()).env(envA)
          .properties(new Properties()).start()) {
        assertEquals(1.0, metric(a, UP));
        assertEquals(0.0, metric(a, UNREACHABLE));
        Map<String, String> envB = members.envB(a.smsc.port(), TestPorts.free());
        JarProcess b = new JarProcess(Files.createDirectories(Path.of("target",
            "cluster-metrics")), envB, "node");
        try {
          assertTrue(b.ready.get(90, TimeUnit.SECONDS) != null,
              "no ready line; stdout: " + b.out + " stderr: " + b.err);
          Await.until(() -> metric(a, UP) == 2, WAIT, "A sees two members up");
          b.process.destroyForcibly(); // SIGKILL on Linux
          assertTrue(b.process.waitFor(10, TimeUnit.SECONDS));
          // Unreachable after about 2.5 s of silence, downed about 2 s later.
          Await.until(() -> metric(a, UNREACHABLE) == 1, WAIT, "B unreachable from A");
          Await.until(() -> metric(a, UNREACHABLE) == 0 && metric(a, UP) == 1, WAIT,
              "B downed and removed");
        } finally {
          b.process.destroyForcibly();
          b.process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
