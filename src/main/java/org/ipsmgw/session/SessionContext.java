package org.ipsmgw.session;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.HandOff;
import org.ipsmgw.LogContext;
import org.ipsmgw.EntityLog;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand.WithReply;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.slf4j.MDC;

/**
 * What every handler of one chat shares: its id, the node's settings and ports, its timers, the
 * effect factories, and the log. Effects on the ports are made here so that each handler says
 * only what happens, and every persist is observed for metrics once it succeeded.
 */
final class SessionContext {
  static final CommandReply ACCEPTED = new CommandReply.Accepted();

  final String sessionId;
  final ChatSessionSettings settings;
  final SessionPorts ports;
  final SessionTimers timers;
  final HandOff<ChatSessionCommand> handOff;
  private final Function<String, RecipientRef<SmsSubscriberCommand>> subscribers;
  private final Consumer<ActorRef<ChatSessionCommand>> passivate;
  private final ActorContext<ChatSessionCommand> actor;
  private final EffectFactories<ChatSessionEvent, ChatSessionState> effects;
  private final EntityLog log;
  /** The SMS user once the session has one, for the log's MDC. */
  private String smsUser;
  /** The MSRP connection attached to the chat, or null ({@link #attach}). */
  private ActorRef<MediaCommand> media;

  SessionContext(String sessionId, ChatSessionSettings settings, SessionPorts ports,
      SessionTimers timers, HandOff<ChatSessionCommand> handOff,
      Function<String, RecipientRef<SmsSubscriberCommand>> subscribers,
      Consumer<ActorRef<ChatSessionCommand>> passivate, ActorContext<ChatSessionCommand> actor,
      EffectFactories<ChatSessionEvent, ChatSessionState> effects) {
    this.sessionId = sessionId;
    this.settings = settings;
    this.ports = ports;
    this.timers = timers;
    this.handOff = handOff;
    this.subscribers = subscribers;
    this.passivate = passivate;
    this.actor = actor;
    this.effects = effects;
    this.log = new EntityLog(actor.getLog(), "session", sessionId);
  }

  EffectFactories<ChatSessionEvent, ChatSessionState> effect() {
    return effects;
  }

  /** Persists {@code event}; the observer hears of the change only once it is in the journal. */
  EffectBuilder<ChatSessionEvent, ChatSessionState> persist(ChatSessionState from,
      ChatSessionEvent event) {
    return persist(from, List.of(event));
  }

  EffectBuilder<ChatSessionEvent, ChatSessionState> persist(ChatSessionState from,
      List<ChatSessionEvent> events) {
    return effects.persist(events)
        .thenRun(to -> Transitions.observe(settings.observer(), from, to, events, now()));
  }

  /** Changes nothing; a command that waits for a reply gets {@code status} and {@code reason}. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> refuse(ChatSessionCommand cmd, int status,
      String reason) {
    if (!(cmd instanceof WithReply<?> r)) {
      return effects.noReply();
    }
    log("refused {}: {} {}", cmd.getClass().getSimpleName(), status, reason);
    // Every reply family of a command with a reply admits a Refusal (WithReply).
    @SuppressWarnings("unchecked")
    ActorRef<Refusal> refusals = (ActorRef<Refusal>) r.replyTo();
    return effects.reply(refusals, new Refusal(status, reason));
  }

  /**
   * A recovered SmsSubscriber handed over an SMS this chat took already (its answer was lost):
   * accepted again, delivered once.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> repeatedHandover(
      ChatSessionCommand.SmsFromUser cmd) {
    log("SMS hand-over repeated by the SMS user's entity; taken already, not delivered again");
    return effects.reply(cmd.replyTo(), ACCEPTED);
  }

  /**
   * Whether an SMS reached the chat after the SMPP edge answered its SMSC "retry": taking it
   * then would deliver it twice, once now and once when the SMSC sends it again.
   */
  boolean tooLate(ChatSessionCommand.SmsFromUser cmd) {
    return cmd.deadline() != null && now().isAfter(cmd.deadline());
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> refuseLate(ChatSessionCommand.SmsFromUser cmd) {
    return refuse(cmd, Refusal.LATE, "SMS reached the chat after the SMPP edge's deadline; the SMSC "
        + "sends it again");
  }

  OperatorPolicy policy() {
    return settings.policy().get();
  }

  Instant now() {
    return settings.clock().instant();
  }

  void knowSmsUser(ChatSessionState state) {
    if (smsUser == null && state instanceof InvitedState s && s.invitation().parties() != null) {
      smsUser = s.invitation().parties().smsMsisdn();
    }
  }

  /**
   * One INFO line with the session id in the text (peer-chosen arguments escaped and cut short,
   * {@link EntityLog}), and the SMS user in the MDC.
   */
  void log(String format, Object... args) {
    try (var user = smsUserMdc()) {
      log.info(format, args);
    }
  }

  void warn(String format, Object... args) {
    try (var user = smsUserMdc()) {
      log.warn(format, args);
    }
  }

  /**
   * The session id and Call-ID are the entity's own MDC (EntityMdc); the SMS user is known only
   * once the session has its invitation.
   */
  private MDC.MDCCloseable smsUserMdc() {
    return smsUser == null ? null : MDC.putCloseable(LogContext.SMS_USER, smsUser);
  }

  // --- effects on the ports, run after persist -------------------------------------------------

  void respond(ChatSessionState state, int status, String reason, String msrpSessionId) {
    InvitedState invited = (InvitedState) state;
    Invitation inv = invited.invitation();
    ports.sip().respond(new SipResponse(sessionId, inv.sip(), invited.localTag(), status, reason,
        inv.ids(), msrpSessionId));
  }

  void request(InvitedState state, String method, InviteContext dialog, String msrpSessionId) {
    ports.sip().request(new SipRequest(sessionId, method, dialog, state.localTag(),
        state.invitation().ids(), msrpSessionId));
  }

  void submit(ChatSessionState state, String ref, String text, ReceiptRequest receipt) {
    InvitedState invited = (InvitedState) state;
    handOff.submitted(ref);
    ports.sms().submit(new SmsSubmission(sessionId, ref, invited.correlationMsisdn(),
        invited.invitation().parties().smsMsisdn(), text, receipt, actor.getSelf()));
  }

  // --- the MSRP connection attached to the chat (memory only: it dies with its node) ----------

  /**
   * A connection bound this chat's MSRP session: from now on the chat's messages and notices go
   * straight to it, starting with everything still owed, in order. A later connection replaces
   * an earlier one (the client reconnected); what the earlier one did not confirm goes again.
   */
  void attach(InvitedState state, ActorRef<MediaCommand> connection) {
    if (!connection.equals(media)) {
      if (media != null) {
        actor.unwatch(media);
      }
      media = connection;
      actor.watchWith(connection, new ChatSessionCommand.MediaDetached(connection));
    }
    if (state instanceof Active active) {
      log("MSRP connection attached; {} message(s) and {} notice(s) owed to the CPM user",
          active.translation().pending().stream()
              .filter(m -> m.direction() == Direction.TO_CPM).count(),
          active.translation().notices().size());
      active.translation().forEachOwed(m -> sendToCpm(active, m), n -> notifyCpm(active, n));
    } else {
      log("MSRP connection attached");
    }
  }

  /**
   * The attached connection ends in order (its peer closed it): no longer watched, so its end
   * is not taken for a lost node; what the chat owes the CPM user waits for the next one.
   */
  void closedByPeer(ActorRef<MediaCommand> connection) {
    if (connection.equals(media)) {
      actor.unwatch(media);
      media = null;
      log("MSRP connection gone (closed by its peer); messages to the CPM user wait for the "
          + "next one");
    }
  }

  /**
   * The watch fired with no orderly close before it: the connection's node died or left.
   *
   * @return whether it was the attached connection (an earlier one's end changes nothing)
   */
  boolean lost(ActorRef<MediaCommand> connection) {
    if (!connection.equals(media)) {
      return false;
    }
    media = null;
    log("MSRP connection gone with its node (no orderly close); messages to the CPM user wait "
        + "for the next one");
    return true;
  }

  /** Whether this node has begun to shut down (a graceful leave): its chats are moving away. */
  boolean leaving() {
    return CoordinatedShutdown.get(actor.getSystem()).getShutdownReason().isPresent();
  }

  /**
   * A re-INVITE offering this node's MSRP path for the chat, so the CPM side connects here: after
   * a recovery, or when the connection was lost with another node (architecture property 3).
   */
  void reInvite(Active state) {
    request(state, "INVITE", state.invitation().sip(), state.msrpSessionId());
  }

  /** The chat has ended: its connection drops the binding and will not ask it again. */
  private void release() {
    if (media != null) {
      actor.unwatch(media);
      ports.msrp().deliver(media, new MediaCommand.Released(sessionId));
      media = null;
    }
  }

  /** An SMS user's message, to the attached connection; with none it waits, owed. */
  void sendToCpm(Active state, MessageRecord message) {
    if (media != null) {
      ports.msrp().deliver(media, new MediaCommand.Deliver(new MsrpMessage(sessionId,
          state.msrpSessionId(), message.ref(), state.invitation().parties().smsMsisdn(),
          message.text(), now(), state.invitation().ids(),
          ResendableId.of(sessionId, message.ref(), "message"))));
    }
  }

  /** A notice owed to the CPM user, to the attached connection; with none it waits, owed. */
  void notifyCpm(Active state, OwedNotice notice) {
    if (media != null) {
      ports.msrp().deliver(media, new MediaCommand.Notify(new DeliveryNotice(sessionId,
          state.msrpSessionId(), notice.imdnMessageId(), notice.msrpMessageId(),
          notice.delivered(), state.invitation().ids(), notice.ref(),
          ResendableId.of(sessionId, notice.ref(), "notice"))));
    }
  }

  /** An operator text about the ended chat, naming the CPM user unless anonymous. */
  String notice(Ended state, String template) {
    Parties p = state.invitation().parties();
    String number = state.invitation().anonymous() || p.cpmMsisdn() == null
        ? state.correlationMsisdn() : p.cpmMsisdn();
    return policy().render(template, senderName(state.invitation()), number);
  }

  /** The CPM sender as operator texts name it; an anonymous one is never named. */
  static String senderName(Invitation inv) {
    return inv.anonymous() ? "Anonymous" : inv.parties().cpmDisplayName();
  }

  /** Everything an ended session does once: stop timers, free the number, leave memory. */
  void finish(ChatSessionState state) {
    timers.cancelAll();
    release();
    if (state instanceof Ended ended) {
      subscribers.apply(ended.invitation().parties().smsMsisdn())
          .tell(new ReleaseCorrelation(sessionId));
    }
    if (state instanceof Ended ended && ended.refusedForNow()) {
      // Its INVITE may come again through the next node (the front's failure route): a stop
      // asked now would reach it after it took that INVITE, and stop it undecided.
      timers.armRetryWindow(ended);
      return;
    }
    leaveMemory();
  }

  /**
   * Asks the shard to stop this entity. The SMSC's answer to what it just sent (the teardown
   * notice) comes to this incarnation, not through sharding, so it does not start the chat again
   * once stopped.
   */
  void leaveMemory() {
    passivate.accept(actor.getSelf());
  }

  RecipientRef<SmsSubscriberCommand> subscriber(String msisdn) {
    return subscribers.apply(msisdn);
  }

  ActorContext<ChatSessionCommand> actor() {
    return actor;
  }
}
