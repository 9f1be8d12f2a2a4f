package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's current operator policy: the configured {@code ipsmgw.policy} with the stored
 * runtime overlay of {@link PolicyStore} on top. Sessions read it through {@link #get()} on every
 * decision, so an update applies to the next decision without a restart. Updates arrive on the
 * policy topic; a periodic re-read ({@code ipsmgw.admin.policy-resync}) heals a missed one and
 * picks the overlay up after a restart.
 */
public final class PolicyHolder implements Extension, Supplier<OperatorPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);
  private static final String TOPIC = "ipsmgw-policy";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  public static final ExtensionId<PolicyHolder> ID = new ExtensionId<>() {
    @Override
    public PolicyHolder createExtension(ActorSystem<?> system) {
      return new PolicyHolder(system);
    }
  };

  /** What is applied now; swapped whole so a reader never sees half an update. */
  private record Applied(PolicyOverlay overlay, OperatorPolicy policy) {}

  private final ActorSystem<?> system;
  private final Config base;
  private final EntityRef<PolicyCommand> store;
  private final AtomicReference<Applied> applied;

  /** Starts the holder (and the policy store's sharding) on this node once; then returns it. */
  public static PolicyHolder get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private PolicyHolder(ActorSystem<?> system) {
    this.system = system;
    Config config = system.settings().config();
    this.base = config.getConfig("ipsmgw.policy");
    this.applied = new AtomicReference<>(
        new Applied(PolicyOverlay.NONE, PolicyConfig.fromConfig(base)));
    ActorRef<Topic.Command<PolicyOverlay>> topic = system.systemActorOf(
        Topic.create(PolicyOverlay.class, TOPIC), "policy-topic", Props.empty());
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(PolicyStore.TYPE_KEY,
        ctx -> PolicyStore.create(base, topic, Clock.systemUTC())));
    this.store = sharding.entityRefFor(PolicyStore.TYPE_KEY, PolicyStore.ID);
    system.systemActorOf(sync(topic, config.getDuration("ipsmgw.admin.policy-resync")),
        "policy-sync", Props.empty());
  }

  @Override
  public OperatorPolicy get() {
    return applied.get().policy();
  }

  /** The configured policy block, under every overlay. */
  public Config base() {
    return base;
  }

  /** Reads the stored overlay from the store (authoritative, wherever it runs) and applies it. */
  public CompletionStage<PolicyOverlay> stored() {
    return AskPattern.<PolicyCommand, PolicyOverlay>ask(store, PolicyCommand.GetOverlay::new,
        ASK_TIMEOUT, system.scheduler()).thenApply(overlay -> {
          apply(overlay);
          return overlay;
        });
  }

  /** Merges {@code json} into the stored policy; applied here at once when accepted. */
  public CompletionStage<PolicyReply> update(String json) {
    return AskPattern.<PolicyCommand, PolicyReply>ask(store, replyTo -> new PolicyCommand.Merge(json, replyTo),
        ASK_TIMEOUT, system.scheduler()).thenApply(reply -> {
          if (reply instanceof PolicyReply.Updated u) {
            apply(u.overlay());
          }
          return reply;
        });
  }

  /** Applies a stored overlay unless this node already runs that revision or a newer one. */
  void apply(PolicyOverlay overlay) {
    Applied now = applied.get();
    if (overlay.revision() <= now.overlay().revision()) {
      return;
    }
    OperatorPolicy next;
    try {
      next = PolicyConfig.fromConfig(PolicyUpdate.effective(base, overlay.overlay()));
    } catch (ConfigException e) {
      LOG.error("stored policy revision {} does not fit this node's configuration, keeping "
          + "revision {}: {}", overlay.revision(), now.overlay().revision(),
          PolicyUpdate.forLog(e.getMessage()));
      return;
    }
    if (applied.compareAndSet(now, new Applied(overlay, next))) {
      LOG.info("operator policy revision {} applied: {}", overlay.revision(),
          PolicyUpdate.forLog(overlay.overlay()));
    } else {
      apply(overlay);
    }
  }

  private enum Resync { INSTANCE }

  private Behavior<Object> sync(ActorRef<Topic.Command<PolicyOverlay>> topic, Duration every) {
    return Behaviors.setup(ctx -> {
      topic.tell(Topic.subscribe(ctx.getSelf().<PolicyOverlay>narrow()));
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(Resync.INSTANCE, Duration.ZERO, every);
        return Behaviors.receive(Object.class)
            .onMessage(PolicyOverlay.class, overlay -> {
              apply(overlay);
              return Behaviors.same();
            })
            .onMessageEquals(Resync.INSTANCE, () -> {
              stored().whenComplete((overlay, failure) -> {
                if (failure != null) {
                  LOG.debug("policy re-read failed, next try in {}: {}", every, failure.toString());
                }
              });
              return Behaviors.same();
            })
            .build();
      });
    });
  }
}
