package org.ipsmgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.PolicyHolder;
import org.ipsmgw.session.RecordingPorts;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in one cluster on a real PostgreSQL: a policy update made through one node's admin
 * API is applied by both, and a preference stored through one is read through the other.
 */
class ClusterAdminIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static RunningNode start(EmbeddedPostgres pg, int clusterPort, String seed,
      RecordingPorts ports) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", pg.getJdbcUrl("postgres", "postgres"));
    env.put("IPSMGW_DB_USER", "postgres");
    env.put("IPSMGW_DB_PASSWORD", "postgres");
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    if (seed != null) {
      env.put("IPSMGW_SEED_NODES", seed);
    }
    Config config = NodeConfig.load(null, env, new Properties());
    return Node.start(config, ports.ports());
  }

  @Test
  void aPolicyUpdateThroughOneNodeIsAppliedByBothAndPreferencesAreShared() throws Exception {
    ActorTestKit probes = ActorTestKit.create("cluster-admin-probes");
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(new File("target/embedded-pg")).start();
    RunningNode first = null;
    RunningNode second = null;
    try {
      int firstPort = TestPorts.free();
      first = start(pg, firstPort, null, new RecordingPorts(probes));
      second = start(pg, TestPorts.free(), "127.0.0.1:" + firstPort, new RecordingPorts(probes));
      RunningNode a = first;
      Await.until(() -> java.util.stream.StreamSupport.stream(
              Cluster.get(a.system()).state().getMembers().spliterator(), false)
              .filter(m -> m.status() == MemberStatus.up()).count() == 2, WAIT,
          "a cluster of two Up members");

      AdminApiIT.Answer put = AdminApiIT.call(second, "PUT", "/api/v1/policy",
          "{\"reject-status\": 486}", null);
      assertEquals(200, put.status(), put.raw().body());
      RunningNode b = second;
      Await.until(() -> PolicyHolder.get(a.system()).get().rejectStatus() == 486
              && PolicyHolder.get(b.system()).get().rejectStatus() == 486, WAIT,
          "both nodes apply the update");
      assertEquals(486, AdminApiIT.call(first, "GET", "/api/v1/policy", null, null).body()
          .get("policy").get("reject-status").asInt());

      assertEquals(200, AdminApiIT.call(first, "PUT",
          "/api/v1/subscribers/447700900901/preferences", "{\"invitation\":\"REJECT\"}", null)
          .status());
      assertEquals("REJECT", AdminApiIT.call(second, "GET",
          "/api/v1/subscribers/447700900901/preferences", null, null).body()
          .get("invitation").asText());
    } finally {
      if (second != null) {
        second.stop();
      }
      if (first != null) {
        first.stop();
      }
      pg.close();
      probes.shutdownTestKit();
    }
  }
}
