package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.ipsmgw.admin.NodeMetrics;
import org.ipsmgw.admin.SessionMetrics;
import org.ipsmgw.admin.SubscriberMetrics;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerConversation;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.PolicyConfig;
import org.ipsmgw.session.AwaitedReceipts;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionSettings;
import org.ipsmgw.session.SessionPorts;
import org.ipsmgw.sms.SmsBudget;
import org.ipsmgw.sms.SmscSettings;
import org.ipsmgw.subscriber.MoSettings;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;

/**
 * Registers this node's sharded entities: ChatSession by Call-ID, SmsSubscriber by E.164,
 * PagerConversation by SMS user and CPM number.
 */
public final class Entities {
  private Entities() {}

  /** Checks the domain configuration (policy, timers) before anything starts; throws ConfigException. */
  public static void validate(Config config) {
    PolicyConfig.fromConfig(config.getConfig("ipsmgw.policy"));
    config.getDuration("ipsmgw.session.admission-timeout");
    config.getDuration("ipsmgw.session.hand-off-wait");
    AwaitedReceipts.fromConfig(config);
    SmscSettings.fromConfig(config);
    org.ipsmgw.sip.SipSettings.fromConfig(config);
    MoSettings.fromConfig(config);
    subscriberIdleAfter(config);
    PagerConversation.noticeResends(config);
    PagerConversation.passivateAfter(config);
    List<String> types = List.of(ChatSession.TYPE_KEY.name(), SmsSubscriber.TYPE_KEY.name(),
        PagerConversation.TYPE_KEY.name());
    for (String type : warmUpTypes(config)) {
      if (!types.contains(type)) {
        throw new com.typesafe.config.ConfigException.BadValue(
            config.origin(), "ipsmgw.cluster.warm-up-shards",
            "unknown entity type '" + type + "' (known: " + String.join(", ", types) + ")");
      }
    }
  }

  /** Starts sharding for ChatSession and SmsSubscriber on this node, with unwired edge ports. */
  public static void init(ActorSystem<?> system, Config config) {
    OperatorPolicy policy = PolicyConfig.fromConfig(config.getConfig("ipsmgw.policy"));
    init(system, config, UnwiredPorts.create(), () -> policy);
  }

  /** As {@link #init(ActorSystem, Config)}, with the given edge ports and policy. */
  public static void init(ActorSystem<?> system, Config config, SessionPorts ports,
      Supplier<OperatorPolicy> current) {
    SessionMetrics metrics = new SessionMetrics(NodeMetrics.get(system).registry());
    SubscriberMetrics subscriberMetrics =
        new SubscriberMetrics(NodeMetrics.get(system).registry(), current);
    ChatSessionSettings settings = new ChatSessionSettings(current, Clock.systemUTC(),
        config.getDuration("ipsmgw.session.admission-timeout"), metrics,
        org.ipsmgw.sip.SipSettings.fromConfig(config).ackTimeout(),
        config.getDuration("ipsmgw.session.hand-off-wait"), AwaitedReceipts.fromConfig(config));
    MoSettings mo = MoSettings.fromConfig(config);
    java.time.Duration idleAfter = subscriberIdleAfter(config);
    SmsBudget budget = SmsBudget.fromConfig(config, current);
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(SmsSubscriber.TYPE_KEY,
        ctx -> SmsSubscriber.create(ctx.getEntityId(), current, mo,
            id -> sharding.entityRefFor(ChatSession.TYPE_KEY, id),
            id -> sharding.entityRefFor(PagerConversation.TYPE_KEY, id), Clock.systemUTC(),
            subscriberMetrics, idleAfter,
            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self))))
        // Not stopped outright on a hand-off: an MO it is handing over would lose its answer,
        // and the SMSC's resend would be delivered a second time.
        .withStopMessage(new SmsSubscriberCommand.Stop()));
    sharding.init(Entity.of(PagerConversation.TYPE_KEY,
        ctx -> PagerConversation.create(ctx.getEntityId(), current, budget, ports.sip(),
            ports.sms(), Clock.systemUTC(),
            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self)), metrics))
        .withStopMessage(new PagerCommand.Stop()));
    sharding.init(Entity.of(ChatSession.TYPE_KEY,
        ctx -> ChatSession.create(ctx.getEntityId(), settings, ports,
            msisdn -> sharding.entityRefFor(SmsSubscriber.TYPE_KEY, msisdn),
            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self))))
        // Not stopped outright on a hand-off: an SMS the SMSC is taking would stay pending, and
        // the node taking over would submit it again.
        .withStopMessage(new ChatSessionCommand.Stop()));
    ShardWarmUp.get(system).start(system, warmUpTypes(config),
        config.getInt("pekko.cluster.sharding.number-of-shards"));
  }

  /** {@code ipsmgw.subscriber.passivate-after}: 0 (never) or longer. */
  private static java.time.Duration subscriberIdleAfter(Config config) {
    java.time.Duration d = config.getDuration("ipsmgw.subscriber.passivate-after");
    if (d.isNegative()) {
      throw new com.typesafe.config.ConfigException.BadValue(config.origin(),
          "ipsmgw.subscriber.passivate-after", "must be 0 (never) or longer, not " + d);
    }
    return d;
  }

  /** The entity types of {@code ipsmgw.cluster.warm-up-shards}, a comma-separated list. */
  private static List<String> warmUpTypes(Config config) {
    return java.util.Arrays.stream(config.getString("ipsmgw.cluster.warm-up-shards").split(","))
        .map(String::trim).filter(t -> !t.isEmpty()).toList();
  }
}
