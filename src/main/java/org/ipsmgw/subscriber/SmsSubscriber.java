package org.ipsmgw.subscriber;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.ipsmgw.CommandTable;
import org.ipsmgw.EntityMdc;
import org.ipsmgw.JournalFailure;
import org.ipsmgw.LogContext;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerKey;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AssignPagerAlias;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ClearPreference;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoAssemblyDue;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoHandedOver;
import org.ipsmgw.subscriber.SmsSubscriberCommand.OpenChat;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReceiveMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.RouteMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceCleared;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceSet;

/**
 * One SMS user, keyed by its E.164 number: its interworking preference and the correlation numbers
 * of its active chats. Because it owns both, it decides invitations toward the user
 * ({@link CorrelationPool}), and it is the only place that knows which chat an MO SMS to a given
 * number belongs to ({@link MoHandover}). It also reassembles the user's concatenated MO SMS
 * ({@link MoReassembly}): the parts may arrive on any bind of any node. Anonymous pager senders
 * get numbers from the same pool ({@link PagerAliases}). Its lines carry
 * {@code [subscriber <msisdn>]} and the user's number in the MDC.
 */
public final class SmsSubscriber extends EventSourcedBehaviorWithEnforcedReplies<
    SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState> {

  public static final EntityTypeKey<SmsSubscriberCommand> TYPE_KEY =
      EntityTypeKey.create(SmsSubscriberCommand.class, "SmsSubscriber");

  private static final int SNAPSHOT_EVERY = 200;

  private final SubscriberContext ctx;
  private final CorrelationPool correlations;
  private final PagerAliases aliases;
  private final MoReassembly reassembly;
  private final MoHandover handover;
  private final IdleStop idleStop;

  /** A subscriber whose MO SMS go nowhere (tests of invitations and preferences). */
  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy) {
    return create(msisdn, policy, MoSettings.DEFAULT, id -> null, Clock.systemUTC());
  }

  /**
   * @param sessions the ChatSession entity of a session id, for MO SMS to a correlation number
   */
  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions, Clock clock) {
    return create(msisdn, policy, mo, sessions, null, clock);
  }

  /**
   * @param pagers the pager conversation of a {@link PagerKey} id, for MO SMS to a number with no
   *     chat; null drops those (acknowledged, logged)
   */
  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<PagerCommand>> pagers, Clock clock) {
    return create(msisdn, policy, mo, sessions, pagers, clock, SubscriberObserver.NONE);
  }

  /** @param observer told of correlation-pool use, for metrics */
  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<PagerCommand>> pagers, Clock clock,
      SubscriberObserver observer) {
    return create(msisdn, policy, mo, sessions, pagers, clock, observer, Duration.ZERO,
        self -> { });
  }

  /**
   * @param idleAfter how long without a command before it asks {@code passivate} to stop it
   *     ({@link IdleStop}); zero: never
   * @param passivate asks the shard to stop this entity
   */
  public static Behavior<SmsSubscriberCommand> create(String msisdn,
      Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<PagerCommand>> pagers, Clock clock,
      SubscriberObserver observer, Duration idleAfter,
      Consumer<ActorRef<SmsSubscriberCommand>> passivate) {
    return EntityMdc.around(Map.of(LogContext.SMS_USER, msisdn),
        Behaviors.withTimers(timers -> Behaviors.setup(ctx -> new SmsSubscriber(msisdn, policy,
            mo, sessions, pagers, clock, ctx, timers, observer, idleAfter, passivate))));
  }

  private SmsSubscriber(String msisdn, Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<PagerCommand>> pagers, Clock clock,
      ActorContext<SmsSubscriberCommand> context, TimerScheduler<SmsSubscriberCommand> timers,
      SubscriberObserver observer, Duration idleAfter,
      Consumer<ActorRef<SmsSubscriberCommand>> passivate) {
    super(PersistenceId.of(TYPE_KEY.name(), msisdn), JournalFailure.restart());
    this.ctx = new SubscriberContext(msisdn, policy, mo, sessions, pagers, clock, context, timers,
        Effect(), observer);
    this.correlations = new CorrelationPool(ctx);
    this.aliases = new PagerAliases(ctx);
    this.handover = new MoHandover(ctx);
    this.reassembly = new MoReassembly(ctx, handover);
    this.idleStop = new IdleStop(ctx, idleAfter, passivate);
  }

  @Override
  public SubscriberState emptyState() {
    return SubscriberState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  /** One table for every SMS user (see {@link CommandTable}). */
  private static final CommandTable<SmsSubscriber, SmsSubscriberCommand, SmsSubscriberEvent,
      SubscriberState> COMMANDS = CommandTable.<SmsSubscriber, SmsSubscriberCommand,
          SmsSubscriberEvent, SubscriberState>builder(SubscriberState.class)
      .forAnyState()
      .on(AdmitInvitation.class, (e, s, c) -> e.correlations.admit(s, c))
      .on(ReleaseCorrelation.class, (e, s, c) -> e.correlations.release(s, c))
      .on(RouteMo.class, (e, s, c) -> e.correlations.route(s, c))
      .on(AssignPagerAlias.class, (e, s, c) -> e.aliases.assign(s, c))
      .on(ReceiveMo.class, (e, s, c) -> e.reassembly.receive(s, c))
      .on(MoAssemblyDue.class, (e, s, c) -> e.reassembly.due(s, c))
      .on(MoHandedOver.class, (e, s, c) -> e.handover.handedOver(s, c))
      .on(SmsSubscriberCommand.MoDeadline.class, (e, s, c) -> e.handover.deadline(s, c))
      .on(OpenChat.class, (e, s, c) -> e.handover.openChat(s, c))
      .on(SmsSubscriberCommand.Stop.class, (e, s, c) -> e.onStop(s, c))
      .on(SmsSubscriberCommand.IdleCheck.class,
          (e, s, c) -> e.idleStop.check(s, !e.handover.idle()))
      .on(SetPreference.class, (e, s, c) -> e.onSetPreference(s, c))
      .on(ClearPreference.class, (e, s, c) -> e.onClearPreference(s, c))
      .on(GetSubscriber.class, (e, s, c) -> e.Effect().reply(c.replyTo(), s))
      .on(SmsSubscriberCommand.GetPreference.class,
          (e, s, c) -> e.Effect().reply(c.replyTo(), new PreferenceView(s.preference())))
      .build();

  @Override
  public CommandHandlerWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState>
      commandHandler() {
    return (state, command) -> {
      if (!(command instanceof SmsSubscriberCommand.IdleCheck)) {
        idleStop.touched();
      }
      return COMMANDS.handle(this, state, command);
    };
  }

  @Override
  public SignalHandler<SubscriberState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          reassembly.armTimers(state);
          idleStop.start();
        })
        .build();
  }

  @Override
  public EventHandler<SubscriberState, SmsSubscriberEvent> eventHandler() {
    return SubscriberState::apply;
  }

  private ReplyEffect<SmsSubscriberEvent, SubscriberState> onStop(SubscriberState state,
      SmsSubscriberCommand.Stop cmd) {
    if (handover.idle()) {
      return Effect().stop().thenNoReply();
    }
    ctx.info("hand-off waits for {} MO hand-over(s) to be answered", handover.underWay());
    handover.stopWhenIdle();
    return Effect().noReply();
  }

  private ReplyEffect<SmsSubscriberEvent, SubscriberState> onSetPreference(SubscriberState state,
      SetPreference cmd) {
    if (cmd.invitation() == state.preference()) {
      return Effect().reply(cmd.replyTo(), new PreferenceView(state.preference()));
    }
    return Effect().persist(new PreferenceSet(cmd.invitation()))
        .thenRun(s -> ctx.info("preference set to {}", cmd.invitation()))
        .thenReply(cmd.replyTo(), s -> new PreferenceView(s.preference()));
  }

  private ReplyEffect<SmsSubscriberEvent, SubscriberState> onClearPreference(
      SubscriberState state, ClearPreference cmd) {
    if (state.preference() == null) {
      return Effect().reply(cmd.replyTo(), new PreferenceView(null));
    }
    return Effect().persist(new PreferenceCleared())
        .thenRun(s -> ctx.info("preference cleared"))
        .thenReply(cmd.replyTo(), s -> new PreferenceView(null));
  }
}
