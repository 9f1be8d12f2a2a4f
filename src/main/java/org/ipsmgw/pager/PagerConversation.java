package org.ipsmgw.pager;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.ipsmgw.CommandTable;
import org.ipsmgw.EntityMdc;
import org.ipsmgw.EntityLog;
import org.ipsmgw.HandOff;
import org.ipsmgw.JournalFailure;
import org.ipsmgw.LogContext;
import org.ipsmgw.RandomIds;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.pager.PagerCommand.DeliveryReport;
import org.ipsmgw.pager.PagerCommand.FromCpm;
import org.ipsmgw.pager.PagerCommand.FromSms;
import org.ipsmgw.pager.PagerCommand.Get;
import org.ipsmgw.pager.PagerCommand.ResendOwed;
import org.ipsmgw.pager.PagerCommand.SipAnswered;
import org.ipsmgw.pager.PagerCommand.SmsSubmitFailed;
import org.ipsmgw.pager.PagerCommand.SmsSubmitted;
import org.ipsmgw.pager.PagerEvent.DeliveryReported;
import org.ipsmgw.pager.PagerEvent.NoticeDropped;
import org.ipsmgw.pager.PagerEvent.NoticeOwed;
import org.ipsmgw.pager.PagerEvent.NoticeResent;
import org.ipsmgw.pager.PagerEvent.SmsMessageStored;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.SmsOriginatedHandling;
import org.ipsmgw.session.AwaitedReceipts;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.MessageStatus;
import org.ipsmgw.session.SessionObserver;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SmsPort;
import org.ipsmgw.session.SmsLimit;

/**
 * CPM standalone messages ("pager mode") between one SMS user and one CPM user's number, keyed by
 * {@link PagerKey}. A SIP MESSAGE becomes an SMS from the CPM user's number; an SMS back to that
 * number, with no chat between them, becomes a MESSAGE in the same conversation
 * (Conversation-ID as stored, InReplyTo-Contribution-ID the latest Contribution-ID); with no
 * conversation yet it starts one, if policy says so. Delivery receipts become IMDN MESSAGEs when
 * the sender asked for them; each such notice stays owed ({@link PagerNotice}) until its SIP
 * final response is stored. Everything is stored before it is acknowledged or sent, and what
 * the outbound edge did not take and the notices with no recorded answer are sent again after a
 * crash. An idle conversation (nothing in flight but SMS awaiting a failure receipt only, no
 * notice owed) leaves memory; its journal keeps the thread. Its lines carry
 * {@code [pager <id>]} and the conversation and SMS user in the MDC.
 */
public final class PagerConversation
    extends EventSourcedBehaviorWithEnforcedReplies<PagerCommand, PagerEvent, PagerState> {

  public static final EntityTypeKey<PagerCommand> TYPE_KEY =
      EntityTypeKey.create(PagerCommand.class, "PagerConversation");
  private static final CommandReply ACCEPTED = new CommandReply.Accepted();
  static final String NOTICE_RESENDS = "ipsmgw.pager.notice-resends";
  static final String PASSIVATE_AFTER = "ipsmgw.pager.passivate-after";
  private static final String LEAVE = "leave";
  /** The chats' key: a stop waits as long for the SMSC's answers to a conversation's SMS. */
  static final String HAND_OFF_WAIT = "ipsmgw.session.hand-off-wait";

  private final String id;
  private final PagerKey key;
  private final Supplier<OperatorPolicy> policy;
  private final PagerOutbound outbound;
  private final Clock clock;
  private final ActorContext<PagerCommand> context;
  private final Consumer<ActorRef<PagerCommand>> passivate;
  private final SessionObserver observer;
  private final EntityLog log;
  private final int noticeResends;
  private final int failureReceiptsAwaited;
  private final HandOff<PagerCommand> handOff;
  private final PagerIntake intake;
  private final TimerScheduler<PagerCommand> timers;
  /** Zero: leaves as soon as it is idle. */
  private final java.time.Duration leaveAfter;

  /**
   * @param id a {@link PagerKey} id
   * @param limit refuses (413) a MESSAGE that would need more SMS than policy allows
   * @param passivate asks the shard to stop this entity while nothing is in flight or owed
   */
  public static Behavior<PagerCommand> create(String id, Supplier<OperatorPolicy> policy,
      SmsLimit limit, SipPort sip, SmsPort sms, Clock clock,
      Consumer<ActorRef<PagerCommand>> passivate) {
    return create(id, policy, limit, sip, sms, clock, passivate, SessionObserver.NONE);
  }

  /** @param observer counts the messages stored, for metrics */
  public static Behavior<PagerCommand> create(String id, Supplier<OperatorPolicy> policy,
      SmsLimit limit, SipPort sip, SmsPort sms, Clock clock,
      Consumer<ActorRef<PagerCommand>> passivate, SessionObserver observer) {
    PagerKey key = PagerKey.parse(id)
        .orElseThrow(() -> new IllegalArgumentException("not a pager conversation id: " + id));
    return EntityMdc.around(Map.of(LogContext.SESSION_ID, id, LogContext.SMS_USER,
        key.smsMsisdn()), Behaviors.<PagerCommand>withTimers(timers -> Behaviors.setup(ctx ->
            new PagerConversation(id, key, policy, limit, sip, sms, clock, ctx, timers, passivate,
                observer, ctx.getSystem().settings().config()))));
  }

  /** {@value #NOTICE_RESENDS}: how often recovery sends an unanswered notice again. */
  public static int noticeResends(Config config) {
    int n = config.getInt(NOTICE_RESENDS);
    if (n < 0) {
      throw new ConfigException.BadValue(config.origin(), NOTICE_RESENDS,
          "must be 0 or more, not " + n);
    }
    return n;
  }

  /** {@value #PASSIVATE_AFTER}: how long an idle conversation stays; zero: not at all. */
  public static java.time.Duration passivateAfter(Config config) {
    java.time.Duration d = config.getDuration(PASSIVATE_AFTER);
    if (d.isNegative()) {
      throw new ConfigException.BadValue(config.origin(), PASSIVATE_AFTER,
          "must be 0 (at once) or longer, not " + d);
    }
    return d;
  }

  private PagerConversation(String id, PagerKey key, Supplier<OperatorPolicy> policy,
      SmsLimit limit, SipPort sip, SmsPort sms, Clock clock, ActorContext<PagerCommand> context,
      TimerScheduler<PagerCommand> timers, Consumer<ActorRef<PagerCommand>> passivate,
      SessionObserver observer, Config config) {
    super(PersistenceId.of(TYPE_KEY.name(), id), JournalFailure.restart());
    this.noticeResends = noticeResends(config);
    this.failureReceiptsAwaited = AwaitedReceipts.fromConfig(config);
    this.handOff = new HandOff<>(context.getSelf(), timers, config.getDuration(HAND_OFF_WAIT),
        PagerCommand.StopNow.INSTANCE);
    this.observer = observer;
    this.id = id;
    this.key = key;
    this.policy = policy;
    this.intake = new PagerIntake(limit, clock);
    this.timers = timers;
    this.leaveAfter = passivateAfter(config);
    this.outbound = new PagerOutbound(id, key, sip, sms, clock, context.getSelf(), handOff);
    this.clock = clock;
    this.context = context;
    this.log = new EntityLog(context.getLog(), "pager", id);
    this.passivate = passivate;
  }

  @Override
  public PagerState emptyState() {
    return PagerState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventHandler<PagerState, PagerEvent> eventHandler() {
    return PagerState::apply;
  }

  /** One table for every pager conversation (see {@link CommandTable}). */
  private static final CommandTable<PagerConversation, PagerCommand, PagerEvent, PagerState>
      COMMANDS = CommandTable.<PagerConversation, PagerCommand, PagerEvent, PagerState>builder(
          PagerState.class)
      .forAnyState()
      .on(FromCpm.class, (e, s, c) -> e.onFromCpm(s, c))
      .on(PagerCommand.FromCpmBatch.class, (e, s, c) -> e.onFromCpmBatch(s, c))
      .on(FromSms.class, (e, s, c) -> e.onFromSms(s, c))
      .on(SmsSubmitted.class, (e, s, c) -> {
        e.handOff.answered(c.messageRef());
        return e.onSubmitted(s, c);
      })
      .on(SmsSubmitFailed.class, (e, s, c) -> {
        e.handOff.answered(c.messageRef());
        return e.onSubmitFailed(s, c);
      })
      .on(PagerCommand.SmsHeld.class, (e, s, c) -> {
        e.handOff.answered(c.messageRef());
        return e.Effect().noReply();
      })
      .on(PagerCommand.Stop.class, (e, s, c) -> e.onStop())
      .on(PagerCommand.StopNow.class, (e, s, c) -> e.onStopNow())
      .on(PagerCommand.LeaveIfIdle.class, (e, s, c) -> e.onLeaveIfIdle(s))
      .on(DeliveryReport.class, (e, s, c) -> e.onReceipt(s, c))
      .on(SipAnswered.class, (e, s, c) -> e.onSipAnswered(s, c))
      .on(ResendOwed.class, (e, s, c) -> e.onResendOwed(s, c))
      .on(Get.class, (e, s, c) -> e.Effect().reply(c.replyTo(), s))
      .build();

  @Override
  public CommandHandlerWithReply<PagerCommand, PagerEvent, PagerState> commandHandler() {
    return (state, command) -> COMMANDS.handle(this, state, command);
  }

  @Override
  public SignalHandler<PagerState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .build();
  }

  // --- CPM → SMS --------------------------------------------------------------------------------

  private ReplyEffect<PagerEvent, PagerState> onFromCpm(PagerState state, FromCpm cmd) {
    PagerIntake.Plan plan = plan(state, List.of(cmd));
    return take(plan).thenReply(cmd.replyTo(), s -> plan.outcomes().get(0).asCommandReply());
  }

  private ReplyEffect<PagerEvent, PagerState> onFromCpmBatch(PagerState state,
      PagerCommand.FromCpmBatch cmd) {
    PagerIntake.Plan plan = plan(state, cmd.messages());
    return take(plan).thenReply(cmd.replyTo(), s -> new CpmMessagesReply.Each(plan.outcomes()));
  }

  private PagerIntake.Plan plan(PagerState state, List<FromCpm> messages) {
    // Sent again: its 202 was lost, or an error answered it while the write was still under
    // way (a database outage); it became SMS once.
    return intake.plan(state, messages, m -> log("MESSAGE with imdn.Message-ID {} already "
        + "taken; answered again, not sent twice", m.imdnMessageId()));
  }

  /** Persists what the plan took, in one write, then hands each SMS to the SMPP edge in order. */
  private EffectBuilder<PagerEvent, PagerState> take(PagerIntake.Plan plan) {
    if (plan.events().isEmpty()) {
      return Effect().none().thenRun(this::passivateWhenIdle);
    }
    return Effect().persist(plan.events()).thenRun(s -> plan.taken().forEach(t -> {
      // The imdn.Message-ID leads from a repeat ("already taken") to what it repeats.
      log("MESSAGE {} from {} (Conversation-ID {}, imdn.Message-ID {}) becomes SMS", t.ref(),
          t.message().cpmIdentity(), t.message().ids().conversationId(),
          t.message().imdnMessageId());
      observer.pagerMessage(Direction.TO_SMS);
      outbound.submit(s.inFlight().get(t.ref()));
      sendOwed(t.interworking());
    }));
  }

  private ReplyEffect<PagerEvent, PagerState> onSubmitted(PagerState state, SmsSubmitted cmd) {
    PagerMessage m = state.inFlight().get(cmd.messageRef());
    if (m == null || m.status() != MessageStatus.PENDING) {
      return Effect().noReply();
    }
    List<PagerEvent> events = new ArrayList<>();
    events.add(new PagerEvent.SmsSubmitted(cmd.messageRef(), cmd.smscIds(), clock.instant()));
    List<String> forgotten = state.beyondAwaited(cmd.messageRef(), failureReceiptsAwaited);
    if (!forgotten.isEmpty()) {
      events.add(new PagerEvent.FailureReceiptsForgotten(forgotten, clock.instant()));
    }
    return Effect().persist(events)
        .thenRun(s -> {
          // A receipt names an SMSC id; this line leads from it to the message (and the
          // "becomes SMS" line above to its sender and Conversation-ID).
          log("SMS {} submitted, SMSC ids {}", cmd.messageRef(), cmd.smscIds());
          if (!forgotten.isEmpty()) {
            log(AwaitedReceipts.FORGOTTEN_LOG,
                AwaitedReceipts.forgottenLogArgs(forgotten, failureReceiptsAwaited));
          }
          passivateWhenIdle(s);
        })
        .thenNoReply();
  }

  private ReplyEffect<PagerEvent, PagerState> onSubmitFailed(PagerState state,
      SmsSubmitFailed cmd) {
    PagerMessage m = state.inFlight().get(cmd.messageRef());
    if (m == null || m.status() != MessageStatus.PENDING) {
      return Effect().noReply();
    }
    List<PagerEvent> events = new ArrayList<>();
    events.add(new PagerEvent.SmsSubmitFailed(cmd.messageRef(), cmd.reason(), clock.instant()));
    PagerNotice failed = m.receipt().wants(false) ? delivery(state, m, false) : null;
    owe(events, failed);
    return Effect().persist(events)
        .thenRun(s -> {
          log("SMS {} failed: {}", cmd.messageRef(), cmd.reason());
          sendOwed(failed);
          passivateWhenIdle(s);
        })
        .thenNoReply();
  }

  /**
   * Records one part's receipt and answers the SMPP edge once it is persisted (it acknowledges
   * the SMSC only then). A receipt that overtook SmsSubmitted finds its message by the reference
   * the edge indexed, and records the submission first; one with nothing to record is answered
   * at once.
   */
  private ReplyEffect<PagerEvent, PagerState> onReceipt(PagerState state, DeliveryReport cmd) {
    PagerMessage m = state.bySmscId(cmd.smscId()).orElse(null);
    List<PagerEvent> events = new ArrayList<>();
    if (m == null && cmd.messageRef() != null && cmd.messageIds().contains(cmd.smscId())) {
      PagerMessage pending = state.inFlight().get(cmd.messageRef());
      if (pending != null && pending.status() == MessageStatus.PENDING) {
        m = pending.submitted(cmd.messageIds());
        events.add(new PagerEvent.SmsSubmitted(cmd.messageRef(), List.copyOf(cmd.messageIds()),
            clock.instant()));
      }
    }
    if (m == null) {
      return cmd.replyTo() == null ? Effect().noReply()
          : Effect().reply(cmd.replyTo(), ACCEPTED);
    }
    PagerMessage before = m;
    PagerMessage after = m.receipt(cmd.smscId(), cmd.delivered());
    events.add(new DeliveryReported(m.ref(), cmd.smscId(), cmd.delivered(), clock.instant()));
    boolean delivered = after.status() == MessageStatus.DELIVERED;
    // Owed in the same write as the receipt: the SMSC, once acknowledged, never sends the
    // receipt again, so a crash before the MESSAGE's answer must leave the notice owed.
    PagerNotice notice = after.status().isFinal() && before.receipt().wants(delivered)
        ? delivery(state, before, delivered) : null;
    owe(events, notice);
    var effect = Effect().persist(events)
        .thenRun(s -> {
          sendOwed(notice);
          passivateWhenIdle(s);
        });
    return cmd.replyTo() == null ? effect.thenNoReply()
        : effect.thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  // --- SMS → CPM --------------------------------------------------------------------------------

  private ReplyEffect<PagerEvent, PagerState> onFromSms(PagerState state, FromSms cmd) {
    if (!state.hasThread() && policy.get().smsOriginated() == SmsOriginatedHandling.DROP) {
      log("SMS to CPM user {} with no conversation: dropped (policy sms-originated = DROP)",
          key.cpmMsisdn());
      return Effect().none().thenRun(this::passivateWhenIdle).thenReply(cmd.replyTo(),
          s -> new PagerReply.Refused(new Refusal(404,
              "SMS-originated conversations are off (policy sms-originated = DROP)")));
    }
    if (!state.hasThread() && policy.get().smsOriginated() == SmsOriginatedHandling.CHAT) {
      return Effect().none().thenRun(this::passivateWhenIdle).thenReply(cmd.replyTo(),
          s -> new PagerReply.StartChat());
    }
    String target = state.hasThread() ? state.cpmIdentity() : "tel:" + key.cpmMsisdn();
    CpmIdentifiers ids = state.hasThread()
        ? new CpmIdentifiers(state.conversationId(), RandomIds.cpmId(),
            state.lastContributionId(), null)
        : new CpmIdentifiers(RandomIds.cpmId(), RandomIds.cpmId(), null, null);
    String ref = state.nextMessageRef();
    return Effect().persist(new SmsMessageStored(ref, target, ids, cmd.text(), RandomIds.cpmId(),
            cmd.receivedAt(), clock.instant()))
        .thenRun(s -> {
          log("SMS {} becomes a MESSAGE to {} ({}, Conversation-ID {})", ref, target,
              state.hasThread() ? "a reply" : "a new conversation", ids.conversationId());
          observer.pagerMessage(Direction.TO_CPM);
          outbound.sendToCpm(s.inFlight().get(ref));
        })
        .thenReply(cmd.replyTo(), s -> new PagerReply.Accepted());
  }

  /**
   * The final response to a MESSAGE or an owed notice: stored, and it ends either. A notice
   * answered with an error (or the edge's own 408 after Timer F, or 503 when it could not send)
   * is not sent again, as a MESSAGE is not: the CPM side has answered it, and pager mode has no
   * later moment (the chat's next MSRP connection) at which a resend would fare better.
   */
  private ReplyEffect<PagerEvent, PagerState> onSipAnswered(PagerState state,
      SipAnswered cmd) {
    boolean notice = state.notices().containsKey(cmd.messageRef());
    if (!notice && !state.inFlight().containsKey(cmd.messageRef())) {
      // Already stored (or dropped): an answer that woke the conversation must not keep it.
      return Effect().none().thenRun(this::passivateWhenIdle).thenNoReply();
    }
    return Effect().persist(new PagerEvent.SipAnswered(cmd.messageRef(), cmd.status(),
            clock.instant()))
        .thenRun(s -> {
          if (cmd.status() / 100 != 2) {
            log.warn(notice ? "IMDN MESSAGE {} answered {}; not sent again"
                : "MESSAGE {} answered {}; not delivered", cmd.messageRef(), cmd.status());
          }
          passivateWhenIdle(s);
        })
        .thenNoReply();
  }

  // --- notices --------------------------------------------------------------------------------

  private PagerNotice delivery(PagerState state, PagerMessage m, boolean delivered) {
    return PagerNotice.about(m, state.cpmIdentity(), Imdn.Kind.DELIVERY,
        delivered ? "delivered" : "failed", clock.instant());
  }

  private void owe(List<PagerEvent> events, PagerNotice notice) {
    if (notice != null) {
      events.add(new NoticeOwed(notice, clock.instant()));
    }
  }

  private void sendOwed(PagerNotice notice) {
    if (notice != null) {
      outbound.send(notice);
    }
  }

  // --- recovery -------------------------------------------------------------------------------

  private void onRecovered(PagerState state) {
    if (!state.idle()) {
      context.getSelf().tell(new ResendOwed(state.inFlight().values().stream()
          .filter(m -> m.status() == MessageStatus.PENDING).map(PagerMessage::ref)
          .collect(java.util.stream.Collectors.toSet()), java.util.Set.copyOf(
              state.notices().keySet())));
    }
  }

  /**
   * Sends again what recovery found without a recorded answer: messages the edge did not take,
   * and notices, each at most {@code notice-resends} times (counted before it goes) and then
   * dropped with a WARN line, so a notice whose answer never comes does not keep the
   * conversation in memory or resend it on every recovery.
   */
  private ReplyEffect<PagerEvent, PagerState> onResendOwed(PagerState state, ResendOwed cmd) {
    // Stored already; the edge's confirmation ends them, and nothing counts their sendings.
    state.inFlight().values().stream().filter(m -> m.status() == MessageStatus.PENDING
        && cmd.messageRefs().contains(m.ref())).forEach(outbound::send);
    List<PagerNotice> owed = state.notices().values().stream()
        .filter(n -> cmd.noticeRefs().contains(n.ref())).toList();
    List<PagerEvent> events = new ArrayList<>();
    for (PagerNotice n : owed) {
      events.add(n.resends() < noticeResends ? new NoticeResent(n.ref(), clock.instant())
          : new NoticeDropped(n.ref(), clock.instant()));
    }
    if (events.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(events)
        .thenRun(s -> {
          for (PagerNotice n : owed) {
            PagerNotice now = s.notices().get(n.ref());
            if (now == null) {
              log.warn("IMDN MESSAGE {} sent {} times unanswered; dropped", n.ref(),
                  n.resends() + 1);
            } else {
              log("IMDN MESSAGE {} unanswered; sent again ({} of {})", n.ref(), now.resends(),
                  noticeResends);
              outbound.send(now);
            }
          }
          passivateWhenIdle(s);
        })
        .thenNoReply();
  }

  /**
   * A conversation asked to passivate can still take a MESSAGE that was on its way, and give its
   * SMS to the edge just before sharding's stop comes: stopped then, the SMS would stay pending
   * in its journal and the next incarnation would submit it again (seen twice in 2,590 in the
   * busy-evening load). So the stop waits for the edge's answer.
   */
  private ReplyEffect<PagerEvent, PagerState> onStop() {
    if (handOff.stopRequested()) {
      return Effect().stop().thenNoReply();
    }
    log("stop waits for the SMSC's answer to {} SMS (at most {} s)", handOff.unanswered(),
        handOff.waitLimit().toSeconds());
    return Effect().noReply();
  }

  private ReplyEffect<PagerEvent, PagerState> onStopNow() {
    if (handOff.unanswered() > 0) {
      log.warn("{} SMS still unanswered by the SMSC after {} s; the conversation stops without "
          + "their answers, and its next start may submit them again", handOff.unanswered(),
          handOff.waitLimit().toSeconds());
    }
    return Effect().stop().thenNoReply();
  }

  /** Idle now: it leaves memory once it has been for {@link #PASSIVATE_AFTER}. */
  private void passivateWhenIdle(PagerState state) {
    if (!state.idle()) {
      return;
    }
    if (leaveAfter.isZero()) {
      passivate.accept(context.getSelf());
    } else {
      timers.startSingleTimer(LEAVE, PagerCommand.LeaveIfIdle.INSTANCE, leaveAfter);
    }
  }

  private ReplyEffect<PagerEvent, PagerState> onLeaveIfIdle(PagerState state) {
    if (state.idle()) {
      passivate.accept(context.getSelf());
    }
    return Effect().noReply();
  }

  private void log(String format, Object... args) {
    log.info(format, args);
  }
}
