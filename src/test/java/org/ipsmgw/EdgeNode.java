package org.ipsmgw;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;

/**
 * A node with all its edges on free loopback ports, an H2 journal in a temporary directory, and
 * an SMSC simulator it is bound to: what the end-to-end tests drive with real peers.
 */
public final class EdgeNode implements AutoCloseable {
  public final SmscSimulator smsc;
  public final RunningNode node;
  public final int sipPort;

  private EdgeNode(SmscSimulator smsc, RunningNode node, int sipPort) {
    this.smsc = smsc;
    this.node = node;
    this.sipPort = sipPort;
  }

  /**
   * @param env extra environment (e.g. IPSMGW_SIP_OUTBOUND_PROXY)
   * @param properties configuration overrides (e.g. policy keys)
   */
  public static EdgeNode start(SimulatorOptions smscOptions, Map<String, String> env,
      Properties properties) throws Exception {
    SmscSimulator smsc = SmscSimulator.start(smscOptions);
    try {
      int sipPort = TestPorts.free();
      Map<String, String> all = environment(smsc.port(), sipPort);
      all.putAll(env);
      Config config = NodeConfig.load(null, all, properties);
      RunningNode node = Node.start(config);
      Await.until(() -> smsc.boundSessions() == 1, Duration.ofSeconds(15), "SMSC bound");
      return new EdgeNode(smsc, node, sipPort);
    } catch (Exception | Error e) {
      smsc.close();
      throw e;
    }
  }

  /**
   * The environment of a node on free loopback ports with an H2 journal in a new temporary
   * directory, bound to the SMSC at {@code smscPort}; mutable, for tests to add to.
   */
  public static Map<String, String> environment(int smscPort, int sipPort) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", "jdbc:h2:file:"
        + Files.createTempDirectory("ipsmgw-edge-node").resolve("journal"));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(sipPort));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(smscPort));
    return env;
  }

  /** Stores an SMS user's invitation preference through its SmsSubscriber entity. */
  public static void prefer(RunningNode node, String msisdn,
      org.ipsmgw.policy.InvitationAction preference) throws Exception {
    org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
        .entityRefFor(org.ipsmgw.subscriber.SmsSubscriber.TYPE_KEY, msisdn)
        .<org.ipsmgw.subscriber.SubscriberState>ask(
            r -> new org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference(preference, r),
            Duration.ofSeconds(15))
        .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      node.stop();
    } finally {
      smsc.close();
    }
  }
}
