package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.admin.NodeMetrics;
import org.ipsmgw.policy.PolicyHolder;
import org.ipsmgw.msrp.MsrpEndpoint;
import org.ipsmgw.msrp.MsrpSettings;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.sip.SipGateway;
import org.ipsmgw.sip.SipSettings;
import org.ipsmgw.session.MsrpPort;
import org.ipsmgw.session.SessionPorts;
import org.ipsmgw.session.SmsPort;
import org.ipsmgw.sms.EntitySmppWiring;
import org.ipsmgw.sms.SmppGateway;
import org.ipsmgw.sms.SmscMessageIndex;
import org.ipsmgw.sms.SmscSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one ipsmgw node: schema, actor system, cluster membership, entities, admin HTTP. */
public final class Node {
  static final String SYSTEM_NAME = "ipsmgw";
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final long ADMIN_BIND_TIMEOUT_SECONDS = 15;

  private Node() {}

  /** Starts a node with its SIP, MSRP and SMPP edges (each unless disabled). */
  public static RunningNode start(Config config) {
    return start(config, edges -> edges);
  }

  /** Starts a node whose sessions use exactly {@code ports}: no SMPP or MSRP edge (tests). */
  public static RunningNode start(Config config, SessionPorts ports) {
    return start(config, edges -> ports, false);
  }

  /**
   * Starts a node with its SMPP edge (unless {@code ipsmgw.smsc.enabled = off}) and MSRP endpoint
   * (unless {@code ipsmgw.msrp.enabled = off}); {@code wiring} may replace some of the edges'
   * ports with its own (tests record SIP this way).
   *
   * @throws StartupException with a one-line reason when anything cannot start; whatever was
   *     started is stopped again
   */
  public static RunningNode start(Config config, Function<SessionPorts, SessionPorts> wiring) {
    return start(config, wiring, true);
  }

  private static RunningNode start(Config config, Function<SessionPorts, SessionPorts> wiring,
      boolean edges) {
    boolean smpp = edges && config.getBoolean("ipsmgw.smsc.enabled");
    boolean msrp = edges && config.getBoolean("ipsmgw.msrp.enabled");
    boolean sip = edges && config.getBoolean("ipsmgw.sip.enabled");
    H2Compaction.atStart(config);
    if (config.getBoolean("ipsmgw.db.apply-schema")) {
      Database.applySchema(config);
    } else {
      Database.checkSchema(config);
    }
    ShardLayout.check(config);
    String clusterAt = clusterAt(config);
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
    } catch (RuntimeException e) {
      throw new StartupException("cannot start the cluster endpoint on " + clusterAt + ": "
          + rootMessage(e), e);
    }
    try {
      join(system, config);
      org.ipsmgw.admin.ClusterMetrics.bind(org.apache.pekko.cluster.Cluster.get(
          system.classicSystem()), NodeMetrics.get(system).registry());
      Supplier<OperatorPolicy> current = PolicyHolder.get(system);
      ActorRef<SmppGateway.Command> gateway = null;
      SmsPort sms = UnwiredPorts.create().sms();
      if (smpp) {
        gateway = system.systemActorOf(SmppGateway.create(SmscSettings.fromConfig(config),
            current, SmscMessageIndex.open(config, Clock.systemUTC()),
            new EntitySmppWiring(ClusterSharding.get(system),
                config.getDuration("ipsmgw.smsc.mo-handover-timeout"), system.scheduler()),
            Clock.systemUTC()), "smpp-gateway", Props.empty());
        sms = SmppGateway.port(gateway);
      }
      ClusterSharding sharding = ClusterSharding.get(system);
      ChatRoutes routes = new ChatRoutes(system);
      Function<String, org.apache.pekko.actor.typed.RecipientRef<ChatSessionCommand>> chats =
          routes::chat;
      MsrpPort msrpPort = msrp ? MsrpPort.DIRECT : UnwiredPorts.create().msrp();
      MsrpEndpoint msrpEndpoint = null;
      if (msrp) {
        try {
          msrpEndpoint = MsrpEndpoint.start(system, MsrpSettings.fromConfig(config), chats,
              org.ipsmgw.sms.SmsBudget.fromConfig(config, current));
        } catch (Exception e) {
          throw new StartupException("cannot start the MSRP endpoint on "
              + config.getString("ipsmgw.msrp.host") + ":" + config.getInt("ipsmgw.msrp.port")
              + ": " + rootMessage(e), e);
        }
      }
      int msrpAt = msrpEndpoint == null ? config.getInt("ipsmgw.msrp.port") : msrpEndpoint.port();
      SipGateway sipGateway = sip ? new SipGateway(SipSettings.fromConfig(config),
          config.getString("ipsmgw.msrp.host"), msrpAt, msrpEndpoint, chats,
          id -> sharding.entityRefFor(org.ipsmgw.pager.PagerConversation.TYPE_KEY, id),
          msisdn -> sharding.entityRefFor(org.ipsmgw.subscriber.SmsSubscriber.TYPE_KEY, msisdn),
          system.scheduler(),
          Clock.systemUTC(),
          NodeMetrics.get(system).registry()) : null;
      SipPort sipPort = sipGateway != null ? sipGateway : UnwiredPorts.create().sip();
      Entities.init(system, config, wiring.apply(new SessionPorts(sipPort, msrpPort, sms)),
          current);
      routes.watchRegion();
      if (sipGateway != null) {
        try {
          sipGateway.start();
        } catch (Exception e) {
          throw new StartupException("cannot start the SIP gateway on "
              + config.getString("ipsmgw.sip.host") + ":" + config.getInt("ipsmgw.sip.port")
              + ": " + rootMessage(e), e);
        }
        system.getWhenTerminated().thenRun(sipGateway::stop);
      }
      if (gateway != null) {
        gateway.tell(SmppGateway.Start.INSTANCE);
      }
      GracefulLeave.register(system, config, sipGateway, gateway);
      int adminPort = startAdmin(system, config);
      if (ClusterBootstrapMode.of(config) == ClusterBootstrapMode.KUBERNETES_API) {
        // Bootstrap's contact points probe each other's admin HTTP, so it starts after it.
        startBootstrap(system);
        LOG.info("cluster bootstrap started: looking for pods labelled {} through the Kubernetes API"
            + " ({} needed to form a new cluster)", config.getString(
                "pekko.discovery.kubernetes-api.pod-label-selector").replace("%s",
                config.getString("ipsmgw.cluster.kubernetes.service-name")),
            config.getInt("ipsmgw.cluster.kubernetes.required-contact-points"));
      }
      LOG.info("ipsmgw node listening: cluster {}, admin http://{}:{}, journal {}", clusterAt,
          config.getString("ipsmgw.admin.host"), adminPort,
          Database.redact(config.getString("ipsmgw.db.url")));
      return new RunningNode(system, adminPort, gateway,
          msrpEndpoint == null ? 0 : msrpEndpoint.port());
    } catch (RuntimeException e) {
      system.terminate();
      awaitQuietly(system);
      throw e instanceof StartupException s ? s : new StartupException(rootMessage(e), e);
    }
  }

  /**
   * Logs "ipsmgw node ready" once the node is a member and its shards are warm. Called by the
   * process after it handles SIGTERM itself: a supervisor that signals on that line must get the
   * graceful leave, not the JVM's default exit 143 (seen once when the line came first).
   */
  public static void logWhenReady(ActorSystem<Void> system, Config config) {
    String clusterAt = clusterAt(config);
    org.apache.pekko.cluster.Cluster.get(system.classicSystem()).registerOnMemberUp(
        () -> ShardWarmUp.get(system).whenDone(
            () -> LOG.info("ipsmgw node ready: member of the cluster at {}", clusterAt)));
  }

  private static String clusterAt(Config config) {
    return config.getString("ipsmgw.cluster.host") + ":" + config.getInt("ipsmgw.cluster.port");
  }

  private static void join(ActorSystem<Void> system, Config config) {
    if (ClusterBootstrapMode.of(config) == ClusterBootstrapMode.KUBERNETES_API) {
      return;
    }
    Cluster cluster = Cluster.get(system);
    List<String> seeds = config.getStringList("ipsmgw.cluster.seed-nodes");
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      return;
    }
    List<Address> addresses = seeds.stream().map(seed -> {
      String[] hostPort = seed.split(":");
      return new Address("pekko", SYSTEM_NAME, hostPort[0], Integer.parseInt(hostPort[1]));
    }).toList();
    cluster.manager().tell(new JoinSeedNodes(addresses));
  }

  private static void startBootstrap(ActorSystem<Void> system) {
    try {
      ClusterBootstrap.get(system.classicSystem()).start();
    } catch (Exception e) {
      // Outside a pod the service account's files are missing: the discovery's constructor
      // throws (a checked exception, unchecked from Scala), which deserves one line.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String reason = root instanceof java.nio.file.NoSuchFileException missing
          ? "file not found: " + missing.getFile() + " (not running in a Kubernetes pod?)"
          : rootMessage(e);
      throw new StartupException("cannot start cluster bootstrap on the Kubernetes API: " + reason,
          e);
    }
  }

  private static int startAdmin(ActorSystem<Void> system, Config config) {
    String at = config.getString("ipsmgw.admin.host") + ":" + config.getInt("ipsmgw.admin.port");
    try {
      Uri uri = PekkoManagement.get(system.classicSystem()).start().toCompletableFuture()
          .get(ADMIN_BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return uri.port();
    } catch (Exception e) {
      throw new StartupException("cannot start admin HTTP on " + at + ": " + rootMessage(e), e);
    }
  }

  private static void awaitQuietly(ActorSystem<Void> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Already failing: the start-up error is what the operator needs to see.
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replace('\n', ' ');
  }
}
