package org.ipsmgw.policy;

import com.typesafe.config.Config;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.ipsmgw.JournalFailure;
import org.ipsmgw.policy.PolicyCommand.GetOverlay;
import org.ipsmgw.policy.PolicyCommand.Merge;
import org.ipsmgw.policy.PolicyEvent.PolicyReplaced;

/**
 * The cluster's one record of runtime policy changes (a sharded entity with a single id), so an
 * update made through any node's admin API survives restarts and reaches every node: it is
 * validated here, persisted, then published on the policy topic that each node's
 * {@link PolicyHolder} listens to. Merging here, not in the caller, keeps two concurrent updates
 * through different nodes from overwriting each other.
 */
public final class PolicyStore
    extends EventSourcedBehaviorWithEnforcedReplies<PolicyCommand, PolicyEvent, PolicyOverlay> {

  public static final EntityTypeKey<PolicyCommand> TYPE_KEY =
      EntityTypeKey.create(PolicyCommand.class, "OperatorPolicy");
  /** The only entity id. */
  public static final String ID = "operator";

  private final Config base;
  private final ActorRef<Topic.Command<PolicyOverlay>> topic;
  private final Clock clock;

  /**
   * @param base the node's configured {@code ipsmgw.policy} block, under the overlay
   * @param topic where accepted overlays are published
   */
  public static Behavior<PolicyCommand> create(Config base,
      ActorRef<Topic.Command<PolicyOverlay>> topic, Clock clock) {
    return new PolicyStore(base, topic, clock);
  }

  private PolicyStore(Config base, ActorRef<Topic.Command<PolicyOverlay>> topic, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), ID), JournalFailure.restart());
    this.base = base;
    this.topic = topic;
    this.clock = clock;
  }

  @Override
  public PolicyOverlay emptyState() {
    return PolicyOverlay.NONE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public CommandHandlerWithReply<PolicyCommand, PolicyEvent, PolicyOverlay> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Merge.class, this::onMerge)
        .onCommand(GetOverlay.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private ReplyEffect<PolicyEvent, PolicyOverlay> onMerge(PolicyOverlay state, Merge cmd) {
    String next;
    try {
      next = PolicyUpdate.merge(base, state.overlay(), cmd.json());
    } catch (PolicyUpdate.InvalidPolicy e) {
      return Effect().reply(cmd.replyTo(), new PolicyReply.Refused(e.getMessage()));
    }
    return Effect().persist(new PolicyReplaced(next, clock.instant()))
        .thenRun(updated -> topic.tell(Topic.publish(updated)))
        .thenReply(cmd.replyTo(), PolicyReply.Updated::new);
  }

  @Override
  public EventHandler<PolicyOverlay, PolicyEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(PolicyReplaced.class,
            (state, e) -> new PolicyOverlay(e.overlay(), state.revision() + 1))
        .build();
  }
}
