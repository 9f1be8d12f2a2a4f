package org.ipsmgw;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.SessionPorts;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;

/**
 * A node with all its edges on free loopback ports, an H2 journal in a temporary directory, and
 * an SMSC simulator it is bound to: what the end-to-end tests drive with real peers. A test
 * overlays what it needs ({@link #builder}): the simulator's options or none, environment and
 * configuration keys, session ports of its own in place of some edges, and further nodes over
 * the same journal and SMSC ({@link #startAnother}). {@link #close} stops every node, then the
 * simulator.
 */
public final class EdgeNode implements AutoCloseable {
  private static final Duration BIND_WAIT = Duration.ofSeconds(15);

  /** The simulator the node binds to; null when built {@link Builder#noSimulator}. */
  public final SmscSimulator smsc;
  public final RunningNode node;
  public final int sipPort;
  /** The configuration the node started with. */
  public final Config config;
  private final Builder settings;
  private final List<RunningNode> others = new ArrayList<>();
  /** The journal directories made for this node and its others, deleted by {@link #close}. */
  private final List<Path> journals;

  private EdgeNode(SmscSimulator smsc, RunningNode node, int sipPort, Config config,
      Builder settings, List<Path> journals) {
    this.smsc = smsc;
    this.node = node;
    this.sipPort = sipPort;
    this.config = config;
    this.settings = settings;
    this.journals = journals;
  }

  /**
   * @param env extra environment (e.g. IPSMGW_SIP_OUTBOUND_PROXY)
   * @param properties configuration overrides (e.g. policy keys)
   */
  public static EdgeNode start(SimulatorOptions smscOptions, Map<String, String> env,
      Properties properties) throws Exception {
    return builder().smsc(smscOptions).env(env).properties(properties).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a test changes in the environment; everything else as {@link EdgeNode} says. */
  public static final class Builder {
    private SimulatorOptions smscOptions = SimulatorOptions.defaults();
    private boolean simulator = true;
    private final Map<String, String> env = new HashMap<>();
    private final Properties properties = new Properties();
    private Function<SessionPorts, SessionPorts> ports = edges -> edges;

    private Builder() {
      // No front probes a test's node: stopping it need not wait for one (a test sets its own).
      properties.setProperty("ipsmgw.cluster.leave.sip-drain-wait", "0s");
      // A test's few chats start their shards on demand; ShardWarmUpIT covers the warm-up.
      properties.setProperty("ipsmgw.cluster.warm-up-shards", "");
    }

    public Builder smsc(SimulatorOptions options) {
      this.smscOptions = options;
      return this;
    }

    /**
     * No SMSC simulator: the node's SMPP edge is off ({@code ipsmgw.smsc.enabled = off}) or
     * binds to an SMSC the test plays itself ({@code IPSMGW_SMSC_PORT} in {@link #env}).
     */
    public Builder noSimulator() {
      this.simulator = false;
      return this;
    }

    /** Environment variables over the node's own (a journal elsewhere, an outbound proxy). */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** Configuration keys over the defaults (policy, timers, limits). */
    public Builder properties(Properties keys) {
      properties.putAll(keys);
      return this;
    }

    /** Session ports of the test's own in place of some of the node's edges. */
    public Builder ports(Function<SessionPorts, SessionPorts> wiring) {
      this.ports = wiring;
      return this;
    }

    /** Starts the simulator, then the node, and waits until the node is bound to it. */
    public EdgeNode start() throws Exception {
      SmscSimulator smsc = simulator ? SmscSimulator.start(smscOptions) : null;
      List<Path> journals = new ArrayList<>();
      try {
        int sipPort = TestPorts.free();
        Map<String, String> all = environment(smsc == null ? null : smsc.port(), sipPort,
            journals);
        all.putAll(env);
        Config config = NodeConfig.load(null, all, properties);
        RunningNode node = Node.start(config, ports);
        if (smsc != null) {
          Await.until(() -> smsc.boundSessions() == 1, BIND_WAIT, "SMSC bound");
        }
        return new EdgeNode(smsc, node, sipPort, config, this, journals);
      } catch (Exception | Error e) {
        if (smsc != null) {
          smsc.close();
        }
        deleteTrees(journals);
        throw e;
      }
    }
  }

  /**
   * A further node on fresh ports over the same journal, SMSC and overlays, e.g. one taking over
   * the chats of {@link #node} after the test stopped it. With a simulator, it returns once the
   * SMSC has a bind up. {@link #close} stops it too.
   */
  public RunningNode startAnother() throws Exception {
    Map<String, String> all = environment(smsc == null ? null : smsc.port(), TestPorts.free(),
        journals);
    all.put("IPSMGW_DB_URL", config.getString("ipsmgw.db.url"));
    all.putAll(settings.env);
    RunningNode another = Node.start(NodeConfig.load(null, all, settings.properties),
        settings.ports);
    others.add(another);
    if (smsc != null) {
      Await.until(() -> smsc.boundSessions() >= 1, BIND_WAIT, "SMSC bound");
    }
    return another;
  }

  /**
   * The environment of a node on free loopback ports with an H2 journal in a new temporary
   * directory, bound to the SMSC at {@code smscPort} (null: none); mutable, for the overlays.
   */
  private static Map<String, String> environment(Integer smscPort, int sipPort,
      List<Path> journals) throws IOException {
    Map<String, String> env = new HashMap<>();
    Path journal = Files.createTempDirectory("ipsmgw-edge-node");
    journals.add(journal);
    env.put("IPSMGW_DB_URL", "jdbc:h2:file:" + journal.resolve("journal"));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(sipPort));
    if (smscPort != null) {
      env.put("IPSMGW_SMSC_PORT", String.valueOf(smscPort));
    }
    return env;
  }

  /** Stores an SMS user's invitation preference through its SmsSubscriber entity. */
  public static void prefer(RunningNode node, String msisdn,
      org.ipsmgw.policy.InvitationAction preference) throws Exception {
    org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
        .entityRefFor(org.ipsmgw.subscriber.SmsSubscriber.TYPE_KEY, msisdn)
        .<org.ipsmgw.subscriber.PreferenceView>ask(
            r -> new org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference(preference, r),
            Duration.ofSeconds(15))
        .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      for (RunningNode other : others) {
        other.stop();
      }
      node.stop();
    } finally {
      if (smsc != null) {
        smsc.close();
      }
      deleteTrees(journals);
    }
  }

  /** Best effort: a file the stopped node still holds is left to the system's /tmp cleaning. */
  private static void deleteTrees(List<Path> dirs) {
    for (Path dir : dirs) {
      try {
        TestFiles.deleteTree(dir);
      } catch (IOException | java.io.UncheckedIOException e) {
        // Nothing a test asserts depends on it.
      }
    }
  }
}
