package org.ipsmgw.session;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.ipsmgw.EntityMdc;
import org.ipsmgw.HandOff;
import org.ipsmgw.JournalFailure;
import org.ipsmgw.LogContext;
import org.ipsmgw.session.ChatSessionCommand.AckDeadline;
import org.ipsmgw.session.ChatSessionCommand.AckReceived;
import org.ipsmgw.session.ChatSessionCommand.AdmissionAnswered;
import org.ipsmgw.session.ChatSessionCommand.BindMedia;
import org.ipsmgw.session.ChatSessionCommand.Bye;
import org.ipsmgw.session.ChatSessionCommand.Cancel;
import org.ipsmgw.session.ChatSessionCommand.CpmMessage;
import org.ipsmgw.session.ChatSessionCommand.DeliveryReport;
import org.ipsmgw.session.ChatSessionCommand.End;
import org.ipsmgw.session.ChatSessionCommand.Get;
import org.ipsmgw.session.ChatSessionCommand.IdleCheck;
import org.ipsmgw.session.ChatSessionCommand.Invite;
import org.ipsmgw.session.ChatSessionCommand.MediaDetached;
import org.ipsmgw.session.ChatSessionCommand.MsrpDelivered;
import org.ipsmgw.session.ChatSessionCommand.Originate;
import org.ipsmgw.session.ChatSessionCommand.OriginationOutcome;
import org.ipsmgw.session.ChatSessionCommand.RefreshProvisional;
import org.ipsmgw.session.ChatSessionCommand.RefreshTarget;
import org.ipsmgw.session.ChatSessionCommand.ReplyWindowElapsed;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitFailed;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitted;
import org.ipsmgw.session.ChatSessionCommand.Summarize;
import org.ipsmgw.subscriber.SmsSubscriberCommand;

/**
 * One CPM ⇄ SMS chat, keyed by the SIP Call-ID of its dialog. Owns the invitation state machine,
 * the CPM identifiers, the dialog data and the translation state. This class wires each state to
 * the handlers of its branch of the state diagram (invitation, reply, origination, chat,
 * delivery, recovery); decisions leave through {@link SessionPorts} only after the event that
 * records them is persisted, and every command that waits for an answer gets one (enforced).
 */
public final class ChatSession extends
    EventSourcedBehaviorWithEnforcedReplies<ChatSessionCommand, ChatSessionEvent, ChatSessionState> {

  public static final EntityTypeKey<ChatSessionCommand> TYPE_KEY =
      EntityTypeKey.create(ChatSessionCommand.class, "ChatSession");

  private static final int SNAPSHOT_EVERY = 100;

  private final String sessionId;
  private final SessionContext ctx;
  private final InvitationHandlers invitation;
  private final ReplyHandlers reply;
  private final OriginationHandlers origination;
  private final ChatHandlers chat;
  private final DeliveryHandlers delivery;
  private final Recovery recovery;
  /** False while the journal replays, and until it has. */
  private boolean live;

  /**
   * @param subscribers the SmsSubscriber entity for an E.164 number
   * @param passivate asks the shard to stop this entity once it has ended
   */
  public static Behavior<ChatSessionCommand> create(String sessionId, ChatSessionSettings settings,
      SessionPorts ports, Function<String, RecipientRef<SmsSubscriberCommand>> subscribers,
      Consumer<ActorRef<ChatSessionCommand>> passivate) {
    return EntityMdc.around(Map.of(LogContext.SESSION_ID, sessionId, LogContext.CALL_ID,
        sessionId), Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new ChatSession(sessionId, settings, ports, subscribers, passivate, ctx, timers))));
  }

  private ChatSession(String sessionId, ChatSessionSettings settings, SessionPorts ports,
      Function<String, RecipientRef<SmsSubscriberCommand>> subscribers,
      Consumer<ActorRef<ChatSessionCommand>> passivate, ActorContext<ChatSessionCommand> context,
      TimerScheduler<ChatSessionCommand> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), sessionId), JournalFailure.restart());
    this.sessionId = sessionId;
    this.ctx = new SessionContext(sessionId, settings, ports,
        new SessionTimers(timers, settings.clock()),
        new HandOff<>(context.getSelf(), timers, settings.handOffWait(),
            ChatSessionCommand.StopNow.INSTANCE),
        subscribers, passivate, context, Effect());
    this.invitation = new InvitationHandlers(ctx);
    this.reply = new ReplyHandlers(ctx, invitation);
    this.origination = new OriginationHandlers(ctx);
    this.chat = new ChatHandlers(ctx);
    this.delivery = new DeliveryHandlers(ctx);
    this.recovery = new Recovery(ctx, invitation, origination);
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
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ChatSessionState::apply);
  }

  @Override
  public CommandHandlerWithReply<ChatSessionCommand, ChatSessionEvent, ChatSessionState>
      commandHandler() {
    CommandHandlerWithReplyBuilder<ChatSessionCommand, ChatSessionEvent, ChatSessionState> b =
        newCommandHandlerWithReplyBuilder();
    b.forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(Summarize.class,
            (s, c) -> Effect().reply(c.replyTo(), SessionSummary.of(sessionId, s)))
        .onCommand(SmsSubmitted.class, (s, c) -> {
          ctx.handOff.answered(c.messageRef());
          return delivery.onSubmitted(s, c);
        })
        .onCommand(ChatSessionCommand.SmsSubmittedBatch.class, (s, c) -> {
          c.submitted().forEach(x -> ctx.handOff.answered(x.messageRef()));
          return delivery.onSubmittedBatch(s, c);
        })
        .onCommand(SmsSubmitFailed.class, (s, c) -> {
          ctx.handOff.answered(c.messageRef());
          return delivery.onSubmitFailed(s, c);
        })
        .onCommand(ChatSessionCommand.SmsHeld.class, (s, c) -> {
          ctx.handOff.answered(c.messageRef());
          return Effect().noReply();
        })
        .onCommand(ChatSessionCommand.Stop.class, (s, c) -> onStop(s))
        .onCommand(ChatSessionCommand.StopNow.class, (s, c) -> onStopNow())
        .onCommand(DeliveryReport.class, delivery::onDeliveryReport)
        .onCommand(MediaDetached.class, chat::onMediaDetached)
        .onCommand(ChatSessionCommand.MediaClosed.class, chat::onMediaClosed);
    b.forStateType(NoSession.class)
        .onCommand(Invite.class, invitation::onInvite)
        .onCommand(Originate.class, origination::onOriginate)
        .onAnyCommand(c -> ctx.refuse(c, 481, "No such session"));
    b.forStateType(Deciding.class)
        .onCommand(AdmissionAnswered.class, invitation::onAdmission)
        .onCommand(Invite.class, (s, c) -> invitation.onRepeatedInvite(c))
        .onCommand(Cancel.class, invitation::onCancel)
        .onAnyCommand(c -> ctx.refuse(c, 481, "Invitation not yet decided"));
    b.forStateType(AwaitingReply.class)
        .onCommand(SmsFromUser.class, reply::onReply)
        .onCommand(ReplyWindowElapsed.class, (s, c) -> reply.onReplyWindowElapsed(s))
        .onCommand(RefreshProvisional.class, (s, c) -> reply.onRefreshProvisional(s))
        .onCommand(Invite.class, (s, c) -> invitation.onRepeatedInvite(c))
        .onCommand(Cancel.class, invitation::onCancel)
        .onCommand(End.class, reply::onEnd)
        .onAnyCommand(c -> ctx.refuse(c, 481, "Chat not established yet"));
    b.forStateType(Originating.class)
        .onCommand(OriginationOutcome.class, origination::onOutcome)
        .onCommand(SmsFromUser.class, origination::onSms)
        .onCommand(Originate.class, (s, c) -> origination.onRepeatedOriginate(c))
        .onCommand(BindMedia.class, (s, c) -> chat.onBind(s, s.msrpSessionId(), c))
        .onAnyCommand(c -> ctx.refuse(c, 481, "Chat not established yet"));
    b.forStateType(Active.class)
        .onCommand(AckReceived.class, (s, c) -> chat.onAck(s))
        .onCommand(RefreshTarget.class, chat::onRefreshTarget)
        .onCommand(BindMedia.class, (s, c) -> chat.onBind(s, s.msrpSessionId(), c))
        .onCommand(CpmMessage.class, chat::onCpmMessage)
        .onCommand(ChatSessionCommand.CpmMessages.class, chat::onCpmMessages)
        .onCommand(SmsFromUser.class, chat::onSmsMessage)
        .onCommand(MsrpDelivered.class, chat::onMsrpDelivered)
        .onCommand(Bye.class, chat::onBye)
        .onCommand(End.class, chat::onEnd)
        .onCommand(IdleCheck.class, (s, c) -> chat.onIdle(s))
        .onCommand(AckDeadline.class, (s, c) -> chat.onAckDeadline(s))
        .onCommand(ChatSessionCommand.ReInviteFailed.class, chat::onReInviteFailed)
        .onCommand(Invite.class, (s, c) -> invitation.onRepeatedInvite(c))
        .onAnyCommand(c -> ctx.refuse(c, 481, "No pending invitation"));
    b.forStateType(Ended.class)
        .onCommand(OriginationOutcome.class, origination::onLateAnswer)
        .onAnyCommand((s, c) -> ctx.refuse(c, 481, "Session ended (" + s.stateName() + ")"));
    return b.build();
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> onStop(ChatSessionState state) {
    // An ended chat submits nothing again on recovery: it need not wait (and sharding holds
    // every message back from an entity it stops, so it would not answer meanwhile). On a
    // leaving node the SMPP edge has settled (or held) its submits and answered the chats before
    // the hand-off began: nothing more will come.
    if (state instanceof Ended || ctx.leaving() || ctx.handOff.stopRequested()) {
      return Effect().stop().thenNoReply();
    }
    ctx.log("stop waits for the SMSC's answer to {} SMS (at most {} s)",
        ctx.handOff.unanswered(), ctx.handOff.waitLimit().toSeconds());
    return Effect().noReply();
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> onStopNow() {
    if (ctx.handOff.unanswered() > 0) {
      ctx.warn("{} SMS still unanswered by the SMSC after {} s; the chat stops without their "
          + "answers, and a node taking over may submit them again", ctx.handOff.unanswered(),
          ctx.handOff.waitLimit().toSeconds());
    }
    return Effect().stop().thenNoReply();
  }

  @Override
  public SignalHandler<ChatSessionState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          live = true;
          recovery.recovered(state);
        })
        .onSignal(PostStop.instance(), state -> {
          if (live && state instanceof InvitedState) {
            ctx.settings.observer().left(state.stateName());
          }
        })
        .build();
  }
}
