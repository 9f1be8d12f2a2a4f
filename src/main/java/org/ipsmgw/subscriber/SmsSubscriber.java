package org.ipsmgw.subscriber;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerConversation;
import org.ipsmgw.pager.PagerKey;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ClearPreference;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoAssemblyDue;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoHandedOver;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReceiveMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.RouteMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReleased;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceCleared;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceSet;

/**
 * One SMS user, keyed by its E.164 number: its interworking preference and the correlation numbers
 * of its active chats. Because it owns both, it decides invitations toward the user, and it is the
 * only place that knows which chat an MO SMS to a given number belongs to. It also reassembles the
 * user's concatenated MO SMS: the parts may arrive on any bind of any node, and each is stored
 * before the SMSC is told it arrived, so a crash makes the SMSC resend instead of losing it.
 */
public final class SmsSubscriber
    extends EventSourcedBehavior<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState> {

  public static final EntityTypeKey<SmsSubscriberCommand> TYPE_KEY =
      EntityTypeKey.create(SmsSubscriberCommand.class, "SmsSubscriber");

  private static final int SNAPSHOT_EVERY = 200;
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** A failed hand-over of a due assembly is tried again after this long. */
  private static final Duration HANDOVER_RETRY = Duration.ofSeconds(5);

  private final String msisdn;
  private final Supplier<OperatorPolicy> policy;
  private final MoSettings mo;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final Function<String, RecipientRef<PagerCommand>> pagers;
  private final Clock clock;
  private final ActorContext<SmsSubscriberCommand> context;
  private final TimerScheduler<SmsSubscriberCommand> timers;

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
    return Behaviors.withTimers(timers -> Behaviors.setup(
        ctx -> new SmsSubscriber(msisdn, policy, mo, sessions, pagers, clock, ctx, timers)));
  }

  private SmsSubscriber(String msisdn, Supplier<OperatorPolicy> policy, MoSettings mo,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<PagerCommand>> pagers, Clock clock,
      ActorContext<SmsSubscriberCommand> context, TimerScheduler<SmsSubscriberCommand> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), msisdn));
    this.msisdn = msisdn;
    this.policy = policy;
    this.mo = mo;
    this.sessions = sessions;
    this.pagers = pagers;
    this.clock = clock;
    this.context = context;
    this.timers = timers;
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
        .onCommand(ReceiveMo.class, this::onReceiveMo)
        .onCommand(MoHandedOver.class, this::onHandedOver)
        .onCommand(SmsSubscriberCommand.OpenChat.class, this::onOpenChat)
        .onCommand(SmsSubscriberCommand.AssignPagerAlias.class, this::onAssignPagerAlias)
        .onCommand(MoAssemblyDue.class, this::onAssemblyDue)
        .build();
  }

  @Override
  public SignalHandler<SubscriberState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::armAssemblyTimers)
        .build();
  }

  private void armAssemblyTimers(SubscriberState state) {
    state.assemblies().forEach((key, assembly) -> armTimer(key,
        assembly.isComplete() ? Instant.EPOCH : assembly.expiresAt(mo.timeout())));
  }

  private void armTimer(String key, Instant due) {
    Duration delay = Duration.between(clock.instant(), due);
    timers.startSingleTimer(key, new MoAssemblyDue(key),
        delay.isNegative() ? Duration.ZERO : delay);
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onReceiveMo(SubscriberState state,
      ReceiveMo cmd) {
    String to = Msisdn.normalise(cmd.to()).orElse(cmd.to());
    MoPart part = cmd.part();
    if (part.total() == 1) {
      handOver(state, to, part.text(), part.receivedAt(), null, cmd.replyTo());
      return Effect().none();
    }
    String key = MoAssembly.key(msisdn, to, part.reference(), part.total());
    MoAssembly existing = state.assemblies().get(key);
    if (existing != null && existing.has(part.seq())) {
      // The SMSC resent a part we stored: it is durable already, unless it completed a message
      // whose hand-over failed, which this resend retries.
      if (existing.isComplete()) {
        handOver(state, to, existing.text(), existing.firstPartAt(), key, cmd.replyTo());
        return Effect().none();
      }
      return Effect().reply(cmd.replyTo(), MoAck.ACCEPTED);
    }
    if (existing != null && existing.total() != part.total()) {
      return Effect().reply(cmd.replyTo(), MoAck.retry("part total differs from its message"));
    }
    return Effect().persist(new MoPartStored(msisdn, to, part))
        .thenRun(s -> {
          MoAssembly assembly = s.assemblies().get(key);
          if (assembly.isComplete()) {
            timers.cancel(key);
            handOver(s, to, assembly.text(), assembly.firstPartAt(), key, cmd.replyTo());
          } else {
            cmd.replyTo().tell(MoAck.ACCEPTED);
            if (existing == null) {
              armTimer(key, assembly.expiresAt(mo.timeout()));
            }
          }
        });
  }

  /**
   * Gives a whole MO to the chat its number is correlated with, or with no chat to the pager
   * conversation with that number; the answer comes back as {@link MoHandedOver}.
   */
  private void handOver(SubscriberState state, String to, String text, Instant receivedAt,
      String key, ActorRef<MoAck> replyTo) {
    // An anonymous sender's alias names no chat: the SMS goes to its pager conversation.
    Optional<String> session = state.sessionFor(to).filter(id -> !id.startsWith(ALIAS_PREFIX));
    if (session.isEmpty()) {
      if (pagers == null || Msisdn.normalise(to).isEmpty()) {
        context.getLog().info("subscriber {}: MO SMS to {} matches no chat; dropped ({} chars)",
            msisdn, to, text.length());
        context.getSelf().tell(new MoHandedOver(key, replyTo, new CommandReply.Accepted(), null));
        return;
      }
      context.ask(CommandReply.class, pagers.apply(new PagerKey(msisdn, to).id()),
          mo.handoverTimeout(), ref -> new PagerCommand.FromSms(text, receivedAt, ref),
          (reply, failure) -> reply instanceof Refusal r
              && r.status() == PagerConversation.START_CHAT
              ? new SmsSubscriberCommand.OpenChat(key, to, text, receivedAt, replyTo)
              : handedOver(key, replyTo, reply, failure));
      return;
    }
    context.ask(CommandReply.class, sessions.apply(session.get()), mo.handoverTimeout(),
        ref -> new SmsFromUser(text, receivedAt, ref),
        (reply, failure) -> handedOver(key, replyTo, reply, failure));
  }

  private static MoHandedOver handedOver(String key, ActorRef<MoAck> replyTo, CommandReply reply,
      Throwable failure) {
    return new MoHandedOver(key, replyTo, reply,
        failure == null ? null : String.valueOf(failure.getMessage()));
  }

  /**
   * Opens an SMS-originated chat: the CPM user's number becomes the chat's correlation number
   * (stored first, so the user's next SMS to it finds the chat), then the chat invites the CPM
   * user. The MO is acknowledged once the chat has stored it.
   */
  private Effect<SmsSubscriberEvent, SubscriberState> onOpenChat(SubscriberState state,
      SmsSubscriberCommand.OpenChat cmd) {
    Optional<String> existing = state.sessionFor(cmd.to());
    if (existing.isPresent()) {
      // Opened meanwhile (a resent MO): the text goes to that chat.
      handOver(state, cmd.to(), cmd.text(), cmd.receivedAt(), cmd.key(), cmd.replyTo());
      return Effect().none();
    }
    String sessionId = java.util.HexFormat.of().formatHex(randomBytes()) + "@ipsmgw";
    return Effect().persist(new CorrelationReserved(sessionId, cmd.to()))
        .thenRun(s -> {
          context.getLog().info("subscriber {}: SMS to CPM user {} opens chat {}", msisdn,
              cmd.to(), sessionId);
          context.ask(CommandReply.class, sessions.apply(sessionId), mo.handoverTimeout(),
              ref -> new ChatSessionCommand.Originate(msisdn, cmd.to(), cmd.text(),
                  cmd.receivedAt(), ref),
              (reply, failure) -> handedOver(cmd.key(), cmd.replyTo(), reply, failure));
        });
  }

  /**
   * An anonymous sender's pager alias is kept as a correlation whose key names the sender, so
   * the number is never handed to a chat and an SMS to it finds the sender's pager conversation.
   */
  static final String ALIAS_PREFIX = "pager-alias#";

  private Effect<SmsSubscriberEvent, SubscriberState> onAssignPagerAlias(SubscriberState state,
      SmsSubscriberCommand.AssignPagerAlias cmd) {
    OperatorPolicy current = policy.get();
    if (!current.anonymityAllowed()) {
      return Effect().reply(cmd.replyTo(),
          PagerAlias.refused(403, "Anonymous interworking not allowed"));
    }
    String key = ALIAS_PREFIX + cmd.cpmIdentity();
    String known = state.correlations().get(key);
    if (known != null) {
      return Effect().reply(cmd.replyTo(), PagerAlias.of(known));
    }
    Optional<String> free = current.correlation().choose(null, true, state.numbersInUse());
    if (free.isEmpty()) {
      context.getLog().warn("subscriber {}: no pool number left for an anonymous pager sender",
          msisdn);
      return Effect().reply(cmd.replyTo(), PagerAlias.refused(503, "No correlation number free"));
    }
    return Effect().persist(new CorrelationReserved(key, free.get()))
        .thenReply(cmd.replyTo(), s -> PagerAlias.of(free.get()));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onHandedOver(SubscriberState state,
      MoHandedOver cmd) {
    if (cmd.failure() != null) {
      context.getLog().warn("subscriber {}: MO not yet taken by its chat ({}); the SMSC or a timer "
          + "will retry", msisdn, cmd.failure());
      if (cmd.key() != null && state.assemblies().containsKey(cmd.key())) {
        armTimer(cmd.key(), clock.instant().plus(HANDOVER_RETRY));
      }
      replyIfAsked(cmd.replyTo(), MoAck.retry("chat did not answer: " + cmd.failure()));
      return Effect().none();
    }
    if (cmd.reply() instanceof Refusal r) {
      context.getLog().info("subscriber {}: MO refused by its chat ({} {}); dropped", msisdn,
          r.status(), r.reason());
    }
    if (cmd.key() == null || !state.assemblies().containsKey(cmd.key())) {
      replyIfAsked(cmd.replyTo(), MoAck.ACCEPTED);
      return Effect().none();
    }
    return Effect().persist(new MoAssemblyClosed(cmd.key()))
        .thenRun(s -> replyIfAsked(cmd.replyTo(), MoAck.ACCEPTED));
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onAssemblyDue(SubscriberState state,
      MoAssemblyDue cmd) {
    MoAssembly assembly = state.assemblies().get(cmd.key());
    if (assembly == null) {
      return Effect().none();
    }
    if (assembly.isComplete()) {
      handOver(state, assembly.recipient(), assembly.text(), assembly.firstPartAt(), cmd.key(),
          null);
      return Effect().none();
    }
    if (mo.deliverPartial()) {
      context.getLog().warn("subscriber {}: MO to {} incomplete after {}, parts {} missing; "
          + "delivering the rest", msisdn, assembly.recipient(), mo.timeout(), assembly.missing());
      handOver(state, assembly.recipient(), assembly.partialText(mo.missingMarker()),
          assembly.firstPartAt(), cmd.key(), null);
      return Effect().none();
    }
    context.getLog().warn("subscriber {}: MO to {} incomplete after {}, parts {} missing; dropped",
        msisdn, assembly.recipient(), mo.timeout(), assembly.missing());
    return Effect().persist(new MoAssemblyClosed(cmd.key()));
  }

  private static void replyIfAsked(ActorRef<MoAck> replyTo, MoAck ack) {
    if (replyTo != null) {
      replyTo.tell(ack);
    }
  }

  private Effect<SmsSubscriberEvent, SubscriberState> onAdmit(SubscriberState state,
      AdmitInvitation cmd) {
    OperatorPolicy current = policy.get();
    InvitationDecision decision = current.decide(state.preferenceIfSet(), cmd.anonymous());
    String reserved = state.correlations().get(cmd.sessionId());
    if (reserved != null) {
      // A repeat after policy turned to REJECT gets no number: a rejection carries none.
      return Effect().reply(cmd.replyTo(),
          new Admission(decision, decision.rejects() ? null : reserved));
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
