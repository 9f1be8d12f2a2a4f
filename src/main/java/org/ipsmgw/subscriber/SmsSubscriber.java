package org.ipsmgw.subscriber;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ClearPreference;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.RouteMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReleased;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceCleared;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceSet;

/**
 * One SMS user, keyed by its E.164 number: its interworking preference and the correlation numbers
 * of its active chats. Because it owns both, it decides invitations toward the user, and it is the
 * only place that knows which chat an MO SMS to a given number belongs to.
 */
public final class SmsSubscriber
    extends EventSourcedBehavior<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState> {

  public static final EntityTypeKey<SmsSubscriberCommand> TYPE_KEY =
      EntityTypeKey.create(SmsSubscriberCommand.class, "SmsSubscriber");

  private static final int SNAPSHOT_EVERY = 200;

  private final String msisdn;
  private final Supplier<OperatorPolicy> policy;
  private final ActorContext<SmsSubscriberCommand> context;

  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy) {
    return Behaviors.setup(ctx -> new SmsSubscriber(msisdn, policy, ctx));
  }

  private SmsSubscriber(String msisdn, Supplier<OperatorPolicy> policy,
      ActorContext<SmsSubscriberCommand> context) {
    super(PersistenceId.of(TYPE_KEY.name(), msisdn));
    this.msisdn = msisdn;
    this.policy = policy;
    this.context = context;
  }

  @Override
  public SubscriberState emptyState() {
    return SubscriberState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandler<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(AdmitInvitation.class, this::onAdmit)
        .onCommand(ReleaseCorrelation.class, this::onRelease)
        .onCommand(RouteMo.class, this::onRouteMo)
        .onCommand(SetPreference.class, this::onSetPreference)
        .onCommand(ClearPreference.class, this::onClearPreference)
        .onCommand(GetSubscriber.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onAdmit(SubscriberState state,
      AdmitInvitation cmd) {
    OperatorPolicy current = policy.get();
    InvitationDecision decision = current.decide(state.preferenceIfSet(), cmd.anonymous());
    String reserved = state.correlations().get(cmd.sessionId());
    if (reserved != null) {
      return Effect().reply(cmd.replyTo(), new Admission(decision, reserved));
    }
    if (decision.rejects()) {
      log(cmd.sessionId(), "invitation decided REJECT by " + decision.source());
      return Effect().reply(cmd.replyTo(), new Admission(decision, null));
    }
    Optional<String> number = current.correlation()
        .choose(cmd.cpmMsisdn(), cmd.anonymous(), state.numbersInUse());
    if (number.isEmpty()) {
      context.getLog().warn("[session {}] subscriber {}: correlation pool exhausted ({} chats active)",
          cmd.sessionId(), msisdn, state.correlations().size());
      InvitationDecision exhausted = new InvitationDecision(InvitationAction.REJECT,
          DecisionSource.OPERATOR, 503, "No free correlation number");
      return Effect().reply(cmd.replyTo(), new Admission(exhausted, null));
    }
    return Effect().persist(new CorrelationReserved(cmd.sessionId(), number.get()))
        .thenRun(s -> log(cmd.sessionId(), "invitation decided " + decision.action() + " by "
            + decision.source() + ", correlation number " + number.get()))
        .thenReply(cmd.replyTo(), s -> new Admission(decision, number.get()));
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onRelease(SubscriberState state,
      ReleaseCorrelation cmd) {
    if (!state.correlations().containsKey(cmd.sessionId())) {
      return Effect().none();
    }
    return Effect().persist(new CorrelationReleased(cmd.sessionId()))
        .thenRun(s -> log(cmd.sessionId(), "correlation number released"));
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onRouteMo(SubscriberState state, RouteMo cmd) {
    Optional<String> to = Msisdn.normalise(cmd.to());
    Optional<String> session = to.flatMap(state::sessionFor);
    MoRoute route = session.<MoRoute>map(MoRoute.ToSession::new)
        .orElseGet(() -> new MoRoute.NoSession(msisdn, to.orElse(cmd.to())));
    return Effect().reply(cmd.replyTo(), route);
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onSetPreference(SubscriberState state,
      SetPreference cmd) {
    if (cmd.invitation() == state.preference()) {
      return Effect().reply(cmd.replyTo(), state);
    }
    return Effect().persist(new PreferenceSet(cmd.invitation()))
        .thenRun(s -> context.getLog().info("subscriber {}: preference set to {}", msisdn,
            cmd.invitation()))
        .thenReply(cmd.replyTo(), s -> s);
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onClearPreference(SubscriberState state,
      ClearPreference cmd) {
    if (state.preference() == null) {
      return Effect().reply(cmd.replyTo(), state);
    }
    return Effect().persist(new PreferenceCleared())
        .thenRun(s -> context.getLog().info("subscriber {}: preference cleared", msisdn))
        .thenReply(cmd.replyTo(), s -> s);
  }

  private void log(String sessionId, String what) {
    context.getLog().info("[session {}] subscriber {}: {}", sessionId, msisdn, what);
  }

  @Override
  public EventHandler<SubscriberState, SmsSubscriberEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SubscriberState::apply);
  }
}
