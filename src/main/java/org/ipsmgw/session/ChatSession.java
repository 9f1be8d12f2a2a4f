package org.ipsmgw.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.ipsmgw.PeerText;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.OtherReplyHandling;
import org.ipsmgw.policy.ReplyIntent;
import org.ipsmgw.session.ChatSessionCommand.AckReceived;
import org.ipsmgw.session.ChatSessionCommand.AdmissionAnswered;
import org.ipsmgw.session.ChatSessionCommand.Bye;
import org.ipsmgw.session.ChatSessionCommand.Cancel;
import org.ipsmgw.session.ChatSessionCommand.CpmMessage;
import org.ipsmgw.session.ChatSessionCommand.DeliveryReport;
import org.ipsmgw.session.ChatSessionCommand.End;
import org.ipsmgw.session.ChatSessionCommand.Get;
import org.ipsmgw.session.ChatSessionCommand.IdleCheck;
import org.ipsmgw.session.ChatSessionCommand.Invite;
import org.ipsmgw.session.ChatSessionCommand.MsrpDelivered;
import org.ipsmgw.session.ChatSessionCommand.RefreshProvisional;
import org.ipsmgw.session.ChatSessionCommand.ReplyWindowElapsed;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionCommand.WithReply;
import org.ipsmgw.session.ChatSessionEvent.AcceptedOnBehalf;
import org.ipsmgw.session.ChatSessionEvent.CpmMessageAccepted;
import org.ipsmgw.session.ChatSessionEvent.DeliveryReported;
import org.ipsmgw.session.ChatSessionEvent.DialogConfirmed;
import org.ipsmgw.session.ChatSessionEvent.InvitationCancelled;
import org.ipsmgw.session.ChatSessionEvent.InvitationExpired;
import org.ipsmgw.session.ChatSessionEvent.InvitationReceived;
import org.ipsmgw.session.ChatSessionEvent.InvitationRejected;
import org.ipsmgw.session.ChatSessionEvent.InvitationSmsRequested;
import org.ipsmgw.session.ChatSessionEvent.MsrpHandedOver;
import org.ipsmgw.session.ChatSessionEvent.ReplyAccepted;
import org.ipsmgw.session.ChatSessionEvent.ReplyNotUnderstood;
import org.ipsmgw.session.ChatSessionEvent.SessionEnded;
import org.ipsmgw.session.ChatSessionEvent.SmsMessageAccepted;
import org.ipsmgw.subscriber.Admission;
import org.ipsmgw.subscriber.Msisdn;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;

/**
 * One CPM ⇄ SMS chat, keyed by the SIP Call-ID of its dialog. Owns the invitation state machine,
 * the CPM identifiers, the dialog data and the translation state. Decisions leave through
 * {@link SessionPorts} only after the event that records them is persisted; timers are re-armed
 * from persisted deadlines when the entity recovers, on whatever node.
 */
public final class ChatSession
    extends EventSourcedBehavior<ChatSessionCommand, ChatSessionEvent, ChatSessionState> {

  public static final EntityTypeKey<ChatSessionCommand> TYPE_KEY =
      EntityTypeKey.create(ChatSessionCommand.class, "ChatSession");

  private static final String REPLY_WINDOW = "reply-window";
  private static final String PROVISIONAL = "provisional";
  private static final String IDLE = "idle";
  private static final String ACK = "ack";
  private static final int SNAPSHOT_EVERY = 100;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CommandReply ACCEPTED = new CommandReply.Accepted();

  private final String sessionId;
  private final ChatSessionSettings settings;
  private final SessionPorts ports;
  private final Function<String, RecipientRef<SmsSubscriberCommand>> subscribers;
  private final Consumer<ActorRef<ChatSessionCommand>> passivate;
  private final ActorContext<ChatSessionCommand> context;
  private final TimerScheduler<ChatSessionCommand> timers;
  /** False while the journal replays: the observer hears only of live changes. */
  private boolean live;

  /**
   * @param subscribers the SmsSubscriber entity for an E.164 number
   * @param passivate asks the shard to stop this entity once it has ended
   */
  public static Behavior<ChatSessionCommand> create(String sessionId, ChatSessionSettings settings,
      SessionPorts ports, Function<String, RecipientRef<SmsSubscriberCommand>> subscribers,
      Consumer<ActorRef<ChatSessionCommand>> passivate) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ChatSession(sessionId, settings, ports, subscribers, passivate, ctx, timers)));
  }

  private ChatSession(String sessionId, ChatSessionSettings settings, SessionPorts ports,
      Function<String, RecipientRef<SmsSubscriberCommand>> subscribers,
      Consumer<ActorRef<ChatSessionCommand>> passivate, ActorContext<ChatSessionCommand> context,
      TimerScheduler<ChatSessionCommand> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), sessionId));
    this.sessionId = sessionId;
    this.settings = settings;
    this.ports = ports;
    this.subscribers = subscribers;
    this.passivate = passivate;
    this.context = context;
    this.timers = timers;
  }

  @Override
  public ChatSessionState emptyState() {
    return new NoSession(sessionId);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public EventHandler<ChatSessionState, ChatSessionEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(this::applyObserved);
  }

  private ChatSessionState applyObserved(ChatSessionState state, ChatSessionEvent event) {
    ChatSessionState next = state.apply(event);
    if (live) {
      observe(state, next, event);
    }
    return next;
  }

  private void observe(ChatSessionState from, ChatSessionState to, ChatSessionEvent event) {
    SessionObserver observer = settings.observer();
    if (event instanceof ChatSessionEvent.CpmMessageAccepted) {
      observer.message(Direction.TO_SMS);
    } else if (event instanceof ChatSessionEvent.SmsMessageAccepted
        || event instanceof ChatSessionEvent.ReplyAccepted r && r.firstMessage() != null) {
      observer.message(Direction.TO_CPM);
    }
    if (from.stateName().equals(to.stateName())) {
      return;
    }
    if (from instanceof InvitedState) {
      observer.left(from.stateName());
    }
    observer.entered(to.stateName());
    if ((from instanceof Deciding || from instanceof AwaitingReply) && to instanceof InvitedState i
        && !(to instanceof AwaitingReply)) {
      observer.answered(to.stateName(), Duration.between(i.invitation().receivedAt(), now()));
    }
    if (to instanceof Ended) {
      observer.ended(to.stateName());
    }
  }

  @Override
  public CommandHandler<ChatSessionCommand, ChatSessionEvent, ChatSessionState> commandHandler() {
    CommandHandlerBuilder<ChatSessionCommand, ChatSessionEvent, ChatSessionState> b =
        newCommandHandlerBuilder();
    b.forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(ChatSessionCommand.Summarize.class,
            (s, c) -> Effect().reply(c.replyTo(), SessionSummary.of(sessionId, s)))
        .onCommand(ChatSessionCommand.SmsSubmitted.class, this::onSubmitted)
        .onCommand(ChatSessionCommand.SmsSubmitFailed.class, this::onSubmitFailed)
        .onCommand(DeliveryReport.class, this::onDeliveryReport);
    b.forStateType(NoSession.class)
        .onCommand(Invite.class, this::onInvite)
        .onCommand(ChatSessionCommand.Originate.class, this::onOriginate)
        .onAnyCommand(c -> refuse(c, 481, "No such session"));
    b.forStateType(Deciding.class)
        .onCommand(AdmissionAnswered.class, this::onAdmission)
        .onCommand(Invite.class, (s, c) -> Effect().reply(c.replyTo(), ACCEPTED))
        .onCommand(Cancel.class, (s, c) -> cancel(c))
        .onAnyCommand(c -> refuse(c, 481, "Invitation not yet decided"));
    b.forStateType(AwaitingReply.class)
        .onCommand(SmsFromUser.class, this::onReply)
        .onCommand(ReplyWindowElapsed.class, this::onReplyWindowElapsed)
        .onCommand(RefreshProvisional.class,
            (s, c) -> Effect().none().thenRun(st -> respond(st, 180, "Ringing", null)))
        .onCommand(Invite.class, (s, c) -> Effect().reply(c.replyTo(), ACCEPTED))
        .onCommand(Cancel.class, (s, c) -> cancel(c))
        .onCommand(End.class, this::onEndPending)
        .onAnyCommand(c -> refuse(c, 481, "Chat not established yet"));
    b.forStateType(Originating.class)
        .onCommand(ChatSessionCommand.OriginationOutcome.class, this::onOriginationOutcome)
        .onCommand(SmsFromUser.class, this::onSmsWhileOriginating)
        .onCommand(ChatSessionCommand.Originate.class, (s, c) -> Effect().reply(c.replyTo(),
            ACCEPTED))
        .onCommand(ChatSessionCommand.BindMedia.class, (s, c) -> s.msrpSessionId()
            .equals(c.msrpSessionId()) ? Effect().reply(c.replyTo(), new BindReply.Bound(
                s.invitation().parties().cpmIdentity(), s.invitation().parties().smsMsisdn(),
                false)) : refuse(c, 481, "MSRP session is not this chat's"))
        .onAnyCommand(c -> refuse(c, 481, "Chat not established yet"));
    b.forStateType(Active.class)
        .onCommand(AckReceived.class, this::onAck)
        .onCommand(ChatSessionCommand.RefreshTarget.class, this::onRefreshTarget)
        .onCommand(CpmMessage.class, this::onCpmMessage)
        .onCommand(SmsFromUser.class, this::onSmsMessage)
        .onCommand(MsrpDelivered.class, this::onMsrpDelivered)
        .onCommand(Bye.class, (s, c) -> endChat(EndCause.CPM_BYE)
            .thenReply(c.replyTo(), st -> closed(st)))
        .onCommand(ChatSessionCommand.BindMedia.class, this::onBindActive)
        .onCommand(End.class, (s, c) -> endChat(EndCause.ADMIN)
            .thenReply(c.replyTo(), st -> ACCEPTED))
        .onCommand(IdleCheck.class, (s, c) -> endChat(EndCause.IDLE_TIMEOUT))
        .onCommand(ChatSessionCommand.AckDeadline.class, (s, c) -> s.awaitingAck()
            ? endChat(EndCause.NO_ACK) : Effect().none())
        .onCommand(Invite.class, (s, c) -> Effect().reply(c.replyTo(), ACCEPTED))
        .onAnyCommand(c -> refuse(c, 481, "No pending invitation"));
    b.forStateType(Ended.class)
        .onCommand(ChatSessionCommand.OriginationOutcome.class, this::onLateAnswer)
        .onAnyCommand((s, c) -> refuse(c, 481, "Session ended (" + s.stateName() + ")"));
    return b.build();
  }

  // --- NoSession -------------------------------------------------------------------------------

  /**
   * An SMS-originated chat: the gateway invites the CPM user with new CPM identifiers and this
   * node's MSRP path; the SMS becomes the first chat message once the chat runs.
   */
  private Effect<ChatSessionEvent, ChatSessionState> onOriginate(NoSession state,
      ChatSessionCommand.Originate cmd) {
    CpmIdentifiers ids = new CpmIdentifiers(java.util.UUID.randomUUID().toString(),
        java.util.UUID.randomUUID().toString(), null, null);
    String target = "tel:" + cmd.cpmMsisdn();
    InviteContext dialog = new InviteContext(target, List.of(), "<" + target + ">",
        "<tel:" + cmd.smsMsisdn() + ">", sessionId, 1, null, target, List.of());
    Invitation invitation = new Invitation(sessionId, ids,
        new Parties(target, cmd.cpmMsisdn(), null, cmd.smsMsisdn()), dialog, "", false,
        cmd.receivedAt());
    return Effect().persist(new ChatSessionEvent.ChatOriginated(invitation, newTag(),
            cmd.cpmMsisdn(), newMsrpSessionId(), cmd.text(), now()))
        .thenRun(s -> {
          Originating o = (Originating) s;
          log("SMS from {} to CPM user {} opens a chat: INVITE, Conversation-ID {}",
              cmd.smsMsisdn(), cmd.cpmMsisdn(), ids.conversationId());
          inviteCpmUser(o);
        })
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  /**
   * A 2xx that crossed the CANCEL of the gateway's INVITE: the CPM side now holds a dialog the
   * chat no longer wants, so it gets a BYE (RFC 3261 §9.1).
   */
  private Effect<ChatSessionEvent, ChatSessionState> onLateAnswer(Ended state,
      ChatSessionCommand.OriginationOutcome cmd) {
    boolean cancelled = state.outcome() == Outcome.REJECTED && state.status() == 487;
    if (!cancelled || cmd.status() / 100 != 2 || cmd.remoteTag() == null) {
      return Effect().none();
    }
    InviteContext dialog = state.invitation().sip().answeredBy(cmd.remoteParty(),
        cmd.remoteTag(), cmd.remoteTarget(), cmd.routeSet());
    return Effect().none().thenRun(s -> {
      log("the CPM user answered after the chat ended; BYE");
      ports.sip().request(new SipRequest(sessionId, "BYE", dialog, state.localTag(),
          state.invitation().ids(), null));
    });
  }

  private void inviteCpmUser(Originating o) {
    ports.sip().request(new SipRequest(sessionId, "INVITE", o.invitation().sip(), o.localTag(),
        o.invitation().ids(), o.msrpSessionId()));
  }

  private Effect<ChatSessionEvent, ChatSessionState> onOriginationOutcome(Originating state,
      ChatSessionCommand.OriginationOutcome cmd) {
    if (cmd.status() / 100 == 2) {
      return Effect().persist(new ChatSessionEvent.OriginationAnswered(cmd.remoteParty(),
              cmd.remoteTag(), cmd.remoteTarget(), cmd.routeSet(), now()))
          .thenRun(s -> {
            Active active = (Active) s;
            log("CPM user accepted the chat");
            active.translation().pending().forEach(m -> sendToCpm(active, m));
            armIdle(active);
          });
    }
    return Effect().persist(new ChatSessionEvent.OriginationFailed(cmd.status(), cmd.reason(),
            now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          log("CPM user did not take the chat: {} {}", cmd.status(), cmd.reason());
          if (policy().notDeliveredSms()) {
            submit(ended, "not-delivered", notice(ended, policy().texts().notDelivered()),
                ReceiptRequest.NONE);
          }
          finish(ended);
        });
  }

  private Effect<ChatSessionEvent, ChatSessionState> onSmsWhileOriginating(Originating state,
      SmsFromUser cmd) {
    if (policy().keywords().classify(cmd.text()) == ReplyIntent.STOP) {
      return Effect().persist(new ChatSessionEvent.OriginationFailed(487,
              "Cancelled by the SMS user", now()))
          .thenRun(s -> {
            log("SMS user sent the stop keyword before the CPM user answered: CANCEL");
            ports.sip().request(new SipRequest(sessionId, "CANCEL", state.invitation().sip(),
                state.localTag(), state.invitation().ids(), state.msrpSessionId()));
            finish(s);
          })
          .thenReply(cmd.replyTo(), s -> ACCEPTED);
    }
    String ref = state.translation().nextMessageRef();
    return Effect().persist(new SmsMessageAccepted(ref, cmd.text(), cmd.receivedAt(), now()))
        .thenRun(s -> log("SMS {} waits for the chat to be accepted", ref))
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> onInvite(NoSession state, Invite cmd) {
    Invitation inv = cmd.invitation();
    String problem = invalidInvitation(inv);
    if (problem != null) {
      return refuse(cmd, problem.startsWith("404") ? 404 : 400, problem.substring(4));
    }
    Invitation stored = withCanonicalNumbers(inv);
    return Effect().persist(new InvitationReceived(stored, newTag()))
        .thenRun(s -> {
          log("INVITE from {} to SMS user {}, Conversation-ID {}", stored.parties().cpmIdentity(),
              stored.parties().smsMsisdn(), stored.ids().conversationId());
          askAdmission((Deciding) s);
        })
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  /** "400 reason" / "404 reason", or null when the invitation can be taken. */
  private String invalidInvitation(Invitation inv) {
    if (!sessionId.equals(inv.sessionId())) {
      return "400 Call-ID does not match the session";
    }
    String missing = inv.ids() == null ? "Conversation-ID" : inv.ids().firstMissing();
    if (missing != null) {
      return "400 Missing " + missing;
    }
    if (inv.parties() == null || Msisdn.normalise(inv.parties().smsMsisdn()).isEmpty()) {
      return "404 Not an SMS user: " + (inv.parties() == null ? null : inv.parties().smsMsisdn());
    }
    String cpm = inv.parties().cpmMsisdn();
    if (cpm != null && Msisdn.normalise(cpm).isEmpty()) {
      return "400 CPM user's number is not E.164: " + cpm;
    }
    if (inv.sip() == null) {
      return "400 Missing SIP dialog data";
    }
    return null;
  }

  private static Invitation withCanonicalNumbers(Invitation inv) {
    Parties p = inv.parties();
    String cpm = p.cpmMsisdn() == null ? null : Msisdn.require(p.cpmMsisdn());
    Parties canonical = new Parties(p.cpmIdentity(), cpm, p.cpmDisplayName(),
        Msisdn.require(p.smsMsisdn()));
    return new Invitation(inv.sessionId(), inv.ids(), canonical, inv.sip(), inv.sdpOffer(),
        inv.anonymous(), inv.receivedAt());
  }

  private void askAdmission(Deciding state) {
    Parties p = state.invitation().parties();
    context.ask(Admission.class, subscribers.apply(p.smsMsisdn()), settings.admissionTimeout(),
        replyTo -> new AdmitInvitation(sessionId, p.cpmMsisdn(), state.invitation().anonymous(),
            replyTo),
        (admission, failure) -> new AdmissionAnswered(admission,
            failure == null ? null : String.valueOf(failure.getMessage())));
  }

  // --- Deciding --------------------------------------------------------------------------------

  private Effect<ChatSessionEvent, ChatSessionState> onAdmission(Deciding state,
      AdmissionAnswered answer) {
    if (answer.admission() == null) {
      context.getLog().warn("[session {}] subscriber did not answer: {}", sessionId, answer.failure());
      return reject(503, "Subscriber data unavailable");
    }
    InvitationDecision decision = answer.admission().decision();
    String correlation = answer.admission().correlationMsisdn();
    return switch (decision.action()) {
      case ACCEPT -> Effect()
          .persist(new AcceptedOnBehalf(correlation, newMsrpSessionId(), decision.source(), now(),
              ackDeadline()))
          .thenRun(s -> {
            Active active = (Active) s;
            log("accepted on behalf of the SMS user ({}), correlation number {}",
                decision.source(), correlation);
            respond(active, 200, "OK", active.msrpSessionId());
            armIdle(active);
            armAck(active);
          });
      case INVITE_BY_SMS -> {
        String text = invitationText(state.invitation(), correlation);
        yield Effect()
            .persist(new InvitationSmsRequested(correlation,
                now().plus(policy().replyWindow()), decision.source(), text, now()))
            .thenRun(s -> {
              AwaitingReply waiting = (AwaitingReply) s;
              log("invitation SMS from {} to {} ({}), reply window until {}", correlation,
                  waiting.invitation().parties().smsMsisdn(), decision.source(),
                  waiting.replyDeadline());
              respond(waiting, 180, "Ringing", null);
              submit(waiting, Translation.INVITATION_REF, text, ReceiptRequest.NONE);
              armAwaiting(waiting);
            });
      }
      case REJECT -> reject(decision.status(), decision.reason());
    };
  }

  private String invitationText(Invitation inv, String correlation) {
    Parties p = inv.parties();
    // An anonymous sender's number must not reach the SMS user (23.204 §6.15.1 step 4).
    String number = inv.anonymous() ? correlation
        : p.cpmMsisdn() != null ? p.cpmMsisdn() : p.cpmIdentity();
    return policy().render(policy().texts().invitation(), senderName(inv), number);
  }

  /** The CPM sender as operator texts name it; an anonymous one is never named. */
  private static String senderName(Invitation inv) {
    return inv.anonymous() ? "Anonymous" : inv.parties().cpmDisplayName();
  }

  // --- AwaitingReply ---------------------------------------------------------------------------

  private Effect<ChatSessionEvent, ChatSessionState> onReply(AwaitingReply state, SmsFromUser cmd) {
    ReplyIntent intent = policy().keywords().classify(cmd.text());
    if (intent == ReplyIntent.ACCEPT) {
      return acceptReply(null, cmd.replyTo());
    }
    if (intent == ReplyIntent.DECLINE || intent == ReplyIntent.STOP) {
      return reject(policy().rejectStatus(), "Declined by SMS user").thenReply(cmd.replyTo(),
          s -> ACCEPTED);
    }
    if (policy().otherReply() == OtherReplyHandling.ACCEPT_WITH_TEXT) {
      return acceptReply(cmd.text(), cmd.replyTo());
    }
    String text = policy().render(policy().texts().askAgain(), senderName(state.invitation()),
        state.correlationMsisdn());
    return Effect().persist(new ReplyNotUnderstood(now()))
        .thenRun(s -> {
          AwaitingReply waiting = (AwaitingReply) s;
          log("reply is no keyword; asking again (reminder {})", waiting.reminders());
          submit(waiting, "ask-again-" + waiting.reminders(), text, ReceiptRequest.NONE);
        })
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> acceptReply(String firstMessage,
      ActorRef<CommandReply> replyTo) {
    return Effect().persist(new ReplyAccepted(newMsrpSessionId(), firstMessage, now(),
            ackDeadline()))
        .thenRun(s -> {
          Active active = (Active) s;
          log("SMS user accepted the invitation{}", firstMessage == null ? "" : " with a message");
          timers.cancelAll();
          respond(active, 200, "OK", active.msrpSessionId());
          active.translation().pending().forEach(m -> sendToCpm(active, m));
          armIdle(active);
          armAck(active);
        })
        .thenReply(replyTo, s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> onReplyWindowElapsed(AwaitingReply state,
      ReplyWindowElapsed cmd) {
    int status = policy().expiryStatus();
    return Effect().persist(new InvitationExpired(status, now()))
        .thenRun(s -> {
          log("no reply within the reply window");
          respond(s, status, "Temporarily Unavailable", null);
          finish(s);
        });
  }

  private Effect<ChatSessionEvent, ChatSessionState> onEndPending(AwaitingReply state, End cmd) {
    return reject(480, "Ended by operator: " + cmd.reason()).thenReply(cmd.replyTo(),
        s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> cancel(Cancel cmd) {
    return Effect().persist(new InvitationCancelled(now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          log("invitation cancelled by the CPM user");
          respond(ended, 487, "Request Terminated", null);
          if (policy().withdrawnSms() && ended.correlationMsisdn() != null) {
            submit(ended, "withdrawn", notice(ended, policy().texts().withdrawn()), ReceiptRequest.NONE);
          }
          finish(ended);
        })
        .thenReply(cmd.replyTo(), s -> closed(s));
  }

  private static CloseReply closed(ChatSessionState state) {
    return new CloseReply.Closed(((InvitedState) state).invitation().ids());
  }

  private EffectBuilder<ChatSessionEvent, ChatSessionState> reject(int status, String reason) {
    return Effect().persist(new InvitationRejected(status, reason, now()))
        .thenRun(s -> {
          log("invitation rejected: {} {}", status, reason);
          respond(s, status, reason, null);
          finish(s);
        });
  }

  // --- Active ----------------------------------------------------------------------------------

  private Effect<ChatSessionEvent, ChatSessionState> onAck(Active state, AckReceived cmd) {
    if (state.confirmed()) {
      return Effect().none();
    }
    return Effect().persist(new DialogConfirmed(now())).thenRun(s -> {
      timers.cancel(ACK);
      log("ACK: dialog confirmed");
    });
  }

  private Effect<ChatSessionEvent, ChatSessionState> onRefreshTarget(Active state,
      ChatSessionCommand.RefreshTarget cmd) {
    if (cmd.remoteTarget() == null || cmd.remoteTarget().isBlank()) {
      return refuse(cmd, 400, "re-INVITE without Contact");
    }
    TargetReply refreshed = new TargetReply.Refreshed(state.invitation().ids(), state.localTag(),
        state.msrpSessionId());
    if (cmd.remoteTarget().equals(state.invitation().sip().remoteTarget())) {
      return Effect().reply(cmd.replyTo(), refreshed);
    }
    return Effect().persist(new ChatSessionEvent.TargetRefreshed(cmd.remoteTarget(), now()))
        .thenRun(s -> log("re-INVITE: remote target now {}", cmd.remoteTarget()))
        .thenReply(cmd.replyTo(), s -> refreshed);
  }

  private Effect<ChatSessionEvent, ChatSessionState> onCpmMessage(Active state, CpmMessage cmd) {
    if (cmd.text() == null || cmd.text().isEmpty()) {
      return refuse(cmd, 400, "Empty message");
    }
    String ref = state.translation().nextMessageRef();
    return Effect()
        .persist(new CpmMessageAccepted(ref, cmd.msrpMessageId(), cmd.imdnMessageId(), cmd.text(),
            cmd.receipt(), cmd.failureReport(), now()))
        .thenRun(s -> {
          Active active = (Active) s;
          log("CPM message {} (MSRP {}) to SMS, {} chars", ref, cmd.msrpMessageId(),
              cmd.text().length());
          submit(active, ref, cmd.text(), active.translation().byRef(ref).orElseThrow()
              .registered());
          armIdle(active);
        })
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> onSmsMessage(Active state, SmsFromUser cmd) {
    if (policy().keywords().classify(cmd.text()) == ReplyIntent.STOP) {
      return endChat(EndCause.SMS_STOP).thenReply(cmd.replyTo(), s -> ACCEPTED);
    }
    String ref = state.translation().nextMessageRef();
    return Effect().persist(new SmsMessageAccepted(ref, cmd.text(), cmd.receivedAt(), now()))
        .thenRun(s -> {
          Active active = (Active) s;
          log("SMS message {} to CPM, {} chars", ref, cmd.text().length());
          active.translation().byRef(ref).ifPresent(m -> sendToCpm(active, m));
          armIdle(active);
        })
        .thenReply(cmd.replyTo(), s -> ACCEPTED);
  }

  private Effect<ChatSessionEvent, ChatSessionState> onBindActive(Active state,
      ChatSessionCommand.BindMedia cmd) {
    if (!state.msrpSessionId().equals(cmd.msrpSessionId())) {
      return refuse(cmd, 481, "MSRP session is not this chat's");
    }
    Parties p = state.invitation().parties();
    return Effect().reply(cmd.replyTo(), new BindReply.Bound(p.cpmIdentity(), p.smsMsisdn(),
        true));
  }

  private Effect<ChatSessionEvent, ChatSessionState> onMsrpDelivered(Active state,
      MsrpDelivered cmd) {
    if (state.translation().byRef(cmd.messageRef()).isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(new MsrpHandedOver(cmd.messageRef(), now()));
  }

  private EffectBuilder<ChatSessionEvent, ChatSessionState> endChat(EndCause cause) {
    return Effect().persist(new SessionEnded(cause, now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          log("chat ended: {}", cause);
          if (cause != EndCause.CPM_BYE) {
            ports.sip().request(new SipRequest(sessionId, "BYE", ended.invitation().sip(),
                ended.localTag(), ended.invitation().ids(), null));
          }
          String text = switch (cause) {
            case CPM_BYE, ADMIN -> policy().teardownSms() ? policy().texts().teardown() : null;
            case IDLE_TIMEOUT -> policy().idleNoticeSms() ? policy().texts().idleNotice() : null;
            case SMS_STOP, NO_ACK -> null;
          };
          if (text != null) {
            submit(ended, "teardown", notice(ended, text), ReceiptRequest.NONE);
          }
          finish(ended);
        });
  }

  // --- messages in flight (AwaitingReply and Active) --------------------------------------------

  private Effect<ChatSessionEvent, ChatSessionState> onSubmitted(ChatSessionState state,
      ChatSessionCommand.SmsSubmitted cmd) {
    if (inFlight(state, cmd.messageRef()).isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(
        new ChatSessionEvent.SmsSubmitted(cmd.messageRef(), List.copyOf(cmd.smscIds()), now()));
  }

  private Effect<ChatSessionEvent, ChatSessionState> onSubmitFailed(ChatSessionState state,
      ChatSessionCommand.SmsSubmitFailed cmd) {
    Optional<MessageRecord> message = inFlight(state, cmd.messageRef());
    if (message.isEmpty()) {
      return Effect().none();
    }
    var failed = new ChatSessionEvent.SmsSubmitFailed(cmd.messageRef(), cmd.reason(), now());
    if (state instanceof AwaitingReply && cmd.messageRef().equals(Translation.INVITATION_REF)) {
      // The SMS user can never answer an invitation that was not sent.
      return Effect().persist(List.of(failed,
              new InvitationRejected(503, "Invitation SMS not accepted by the SMSC", now())))
          .thenRun(s -> {
            log("invitation SMS failed: {}", cmd.reason());
            respond(s, 503, "Service Unavailable", null);
            finish(s);
          });
    }
    return Effect().persist(failed).thenRun(s -> {
      log("SMS {} failed at the SMSC: {}", cmd.messageRef(), cmd.reason());
      notifyOutcome(s, message.get(), false);
    });
  }

  private Effect<ChatSessionEvent, ChatSessionState> onDeliveryReport(ChatSessionState state,
      DeliveryReport cmd) {
    Optional<MessageRecord> message = translation(state).flatMap(t -> t.bySmscId(cmd.smscId()));
    if (message.isEmpty()) {
      context.getLog().info("[session {}] receipt for unknown SMSC id {} ignored", sessionId,
          PeerText.bounded(cmd.smscId()));
      return Effect().none();
    }
    MessageRecord before = message.get();
    MessageStatus after = before.receipt(cmd.smscId(), cmd.delivered()).status();
    return Effect()
        .persist(new DeliveryReported(before.ref(), cmd.smscId(), cmd.delivered(), now()))
        .thenRun(s -> {
          log("receipt for {} part {}: {}", before.ref(), cmd.smscId(),
              cmd.delivered() ? "delivered" : "failed");
          if (after.isFinal() && !before.status().isFinal()) {
            notifyOutcome(s, before, after == MessageStatus.DELIVERED);
          }
        });
  }

  /**
   * What the CPM sender asked to learn of its message's fate: an IMDN if it asked for this
   * outcome, and for a failure after the MSRP 200 a failure REPORT (RFC 4975 §7.1.4).
   */
  private void notifyOutcome(ChatSessionState state, MessageRecord message, boolean delivered) {
    if (!(state instanceof Active active)) {
      return;
    }
    String imdn = message.imdnMessageId() != null && message.receipt().wants(delivered)
        ? message.imdnMessageId() : null;
    String report = !delivered && message.failureReport() ? message.msrpMessageId() : null;
    if (imdn != null || report != null) {
      ports.msrp().notifyDelivery(new DeliveryNotice(sessionId, active.msrpSessionId(), imdn,
          report, delivered, active.invitation().ids()));
    }
  }

  private static Optional<Translation> translation(ChatSessionState state) {
    if (state instanceof AwaitingReply a) {
      return Optional.of(a.translation());
    }
    if (state instanceof Active a) {
      return Optional.of(a.translation());
    }
    return Optional.empty();
  }

  private static Optional<MessageRecord> inFlight(ChatSessionState state, String ref) {
    return translation(state).flatMap(t -> t.byRef(ref));
  }

  // --- recovery and timers ---------------------------------------------------------------------

  @Override
  public SignalHandler<ChatSessionState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), state -> {
          if (live && state instanceof InvitedState) {
            settings.observer().left(state.stateName());
          }
        })
        .build();
  }

  private void onRecovered(ChatSessionState state) {
    live = true;
    if (state instanceof InvitedState) {
      settings.observer().entered(state.stateName());
    }
    if (state instanceof Deciding d) {
      askAdmission(d);
    } else if (state instanceof AwaitingReply a) {
      if (now().isBefore(a.replyDeadline())) {
        // A proxy may have seen nothing from us while the old node was gone: refresh at once.
        respond(a, 180, "Ringing", null);
        a.translation().pending().forEach(m -> submit(a, m.ref(), m.text(), m.registered()));
      }
      armAwaiting(a);
    } else if (state instanceof Active a && a.awaitingAck()
        && !now().isBefore(a.ackDeadline())) {
      // The 200's ACK did not come while the node was down: the chat ends, no re-INVITE.
      armAck(a);
    } else if (state instanceof Active a) {
      // The MSRP connection, if any, ended with the node that held it: a re-INVITE tells the
      // CPM side where this node's endpoint is (architecture property 3).
      ports.sip().request(new SipRequest(sessionId, "INVITE", a.invitation().sip(),
          a.localTag(), a.invitation().ids(), a.msrpSessionId()));
      a.translation().pending().forEach(m -> {
        if (m.direction() == Direction.TO_SMS) {
          submit(a, m.ref(), m.text(), m.registered());
        } else {
          sendToCpm(a, m);
        }
      });
      armIdle(a);
      armAck(a);
    } else if (state instanceof Originating o) {
      // The INVITE's transaction ended with the node that sent it: invite again.
      inviteCpmUser(o);
    } else if (state instanceof Ended e) {
      finish(e);
    }
    if (!(state instanceof NoSession)) {
      log("recovered in state {}", state.stateName());
    }
  }

  private void armAwaiting(AwaitingReply state) {
    timers.startSingleTimer(REPLY_WINDOW, ReplyWindowElapsed.INSTANCE,
        until(state.replyDeadline()));
    timers.startTimerWithFixedDelay(PROVISIONAL, RefreshProvisional.INSTANCE,
        policy().provisionalRefresh());
  }

  private void armIdle(Active state) {
    timers.startSingleTimer(IDLE, IdleCheck.INSTANCE,
        until(state.lastActivity().plus(policy().idleTimeout())));
  }

  /** Ends the chat at its ACK deadline unless the ACK comes first (RFC 3261 §13.3.1.4). */
  private void armAck(Active state) {
    if (state.awaitingAck()) {
      timers.startSingleTimer(ACK, ChatSessionCommand.AckDeadline.INSTANCE,
          until(state.ackDeadline()));
    }
  }

  private Instant ackDeadline() {
    return now().plus(settings.ackTimeout());
  }

  private Duration until(Instant deadline) {
    Duration left = Duration.between(now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Everything an ended session does once: stop timers, free the number, leave memory. */
  private void finish(ChatSessionState state) {
    timers.cancelAll();
    if (state instanceof Ended ended) {
      subscribers.apply(ended.invitation().parties().smsMsisdn())
          .tell(new ReleaseCorrelation(sessionId));
    }
    passivate.accept(context.getSelf());
  }

  // --- effects on the ports --------------------------------------------------------------------

  private void respond(ChatSessionState state, int status, String reason, String msrpSessionId) {
    InvitedState invited = (InvitedState) state;
    Invitation inv = invited.invitation();
    ports.sip().respond(new SipResponse(sessionId, inv.sip(), invited.localTag(), status, reason,
        inv.ids(), msrpSessionId));
  }

  private void submit(ChatSessionState state, String ref, String text, ReceiptRequest receipt) {
    InvitedState invited = (InvitedState) state;
    ports.sms().submit(new SmsSubmission(sessionId, ref, invited.correlationMsisdn(),
        invited.invitation().parties().smsMsisdn(), text, receipt));
  }

  private void sendToCpm(Active state, MessageRecord message) {
    ports.msrp().send(new MsrpMessage(sessionId, state.msrpSessionId(), message.ref(),
        state.invitation().parties().smsMsisdn(), message.text(), now(),
        state.invitation().ids()));
  }

  private String notice(Ended state, String template) {
    Parties p = state.invitation().parties();
    String number = state.invitation().anonymous() || p.cpmMsisdn() == null
        ? state.correlationMsisdn() : p.cpmMsisdn();
    return policy().render(template, senderName(state.invitation()), number);
  }

  // --- small helpers ---------------------------------------------------------------------------

  private Effect<ChatSessionEvent, ChatSessionState> refuse(ChatSessionCommand cmd, int status,
      String reason) {
    if (cmd instanceof WithReply<?> r) {
      context.getLog().info("[session {}] refused {}: {} {}", sessionId,
          cmd.getClass().getSimpleName(), status, PeerText.bounded(reason));
      // Every reply family of a command with a reply admits a Refusal (WithReply).
      @SuppressWarnings("unchecked")
      ActorRef<Refusal> refusals = (ActorRef<Refusal>) r.replyTo();
      return Effect().reply(refusals, new Refusal(status, reason));
    }
    return Effect().none();
  }

  private OperatorPolicy policy() {
    return settings.policy().get();
  }

  private Instant now() {
    return settings.clock().instant();
  }

  /**
   * One INFO line with the session id. Text arguments are what peers chose (identities,
   * Conversation-IDs, targets, reason phrases), so they go in escaped and cut short.
   */
  private void log(String format, Object... args) {
    Object[] withId = new Object[args.length + 1];
    withId[0] = sessionId;
    for (int i = 0; i < args.length; i++) {
      withId[i + 1] = args[i] instanceof CharSequence text ? PeerText.bounded(text.toString())
          : args[i];
    }
    context.getLog().info("[session {}] " + format, withId);
  }

  /** At least 80 random bits (RFC 4975 §14.1); 128 here, hex, so it fits MSRP URI syntax. */
  private static String newMsrpSessionId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String newTag() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
