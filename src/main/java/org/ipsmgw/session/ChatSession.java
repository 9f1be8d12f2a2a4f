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
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.ipsmgw.CommandTable;
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
    return ChatSessionState::apply;
  }

  /** One table for every chat: handlers built per entity were ~3.6 KB of each idle chat. */
  private static final CommandTable<ChatSession, ChatSessionCommand, ChatSessionEvent,
      ChatSessionState> COMMANDS = CommandTable.<ChatSession, ChatSessionCommand,
          ChatSessionEvent, ChatSessionState>builder(ChatSessionState.class)
      .forAnyState()
      .on(Get.class, (e, s, c) -> e.Effect().reply(c.replyTo(), s))
      .on(Summarize.class,
          (e, s, c) -> e.Effect().reply(c.replyTo(), SessionSummary.of(e.sessionId, s)))
      .on(SmsSubmitted.class, (e, s, c) -> {
        e.ctx.handOff.answered(c.messageRef());
        return e.delivery.onSubmitted(s, c);
      })
      .on(ChatSessionCommand.SmsSubmittedBatch.class, (e, s, c) -> {
        c.submitted().forEach(x -> e.ctx.handOff.answered(x.messageRef()));
        return e.delivery.onSubmittedBatch(s, c);
      })
      .on(SmsSubmitFailed.class, (e, s, c) -> {
        e.ctx.handOff.answered(c.messageRef());
        return e.delivery.onSubmitFailed(s, c);
      })
      .on(ChatSessionCommand.SmsHeld.class, (e, s, c) -> {
        e.ctx.handOff.answered(c.messageRef());
        return e.Effect().noReply();
      })
      .on(ChatSessionCommand.Stop.class, (e, s, c) -> e.onStop(s))
      .on(ChatSessionCommand.StopNow.class, (e, s, c) -> e.onStopNow())
      .on(DeliveryReport.class, (e, s, c) -> e.delivery.onDeliveryReport(s, c))
      .on(MediaDetached.class, (e, s, c) -> e.chat.onMediaDetached(s, c))
      .on(ChatSessionCommand.MediaClosed.class, (e, s, c) -> e.chat.onMediaClosed(s, c))
      .forState(NoSession.class)
      .on(Invite.class, (e, s, c) -> e.invitation.onInvite(s, c))
      .on(Originate.class, (e, s, c) -> e.origination.onOriginate(s, c))
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "No such session"))
      .forState(Deciding.class)
      .on(AdmissionAnswered.class, (e, s, c) -> e.invitation.onAdmission(s, c))
      .on(Invite.class, (e, s, c) -> e.invitation.onRepeatedInvite(c))
      .on(Cancel.class, (e, s, c) -> e.invitation.onCancel(s, c))
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "Invitation not yet decided"))
      .forState(AwaitingReply.class)
      .on(SmsFromUser.class, (e, s, c) -> e.reply.onReply(s, c))
      .on(ReplyWindowElapsed.class, (e, s, c) -> e.reply.onReplyWindowElapsed(s))
      .on(RefreshProvisional.class, (e, s, c) -> e.reply.onRefreshProvisional(s))
      .on(Invite.class, (e, s, c) -> e.invitation.onRepeatedInvite(c))
      .on(Cancel.class, (e, s, c) -> e.invitation.onCancel(s, c))
      .on(End.class, (e, s, c) -> e.reply.onEnd(s, c))
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "Chat not established yet"))
      .forState(Originating.class)
      .on(OriginationOutcome.class, (e, s, c) -> e.origination.onOutcome(s, c))
      .on(SmsFromUser.class, (e, s, c) -> e.origination.onSms(s, c))
      .on(Originate.class, (e, s, c) -> e.origination.onRepeatedOriginate(c))
      .on(BindMedia.class, (e, s, c) -> e.chat.onBind(s, s.msrpSessionId(), c))
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "Chat not established yet"))
      .forState(Active.class)
      .on(AckReceived.class, (e, s, c) -> e.chat.onAck(s))
      .on(RefreshTarget.class, (e, s, c) -> e.chat.onRefreshTarget(s, c))
      .on(BindMedia.class, (e, s, c) -> e.chat.onBind(s, s.msrpSessionId(), c))
      .on(CpmMessage.class, (e, s, c) -> e.chat.onCpmMessage(s, c))
      .on(ChatSessionCommand.CpmMessages.class, (e, s, c) -> e.chat.onCpmMessages(s, c))
      .on(SmsFromUser.class, (e, s, c) -> e.chat.onSmsMessage(s, c))
      .on(MsrpDelivered.class, (e, s, c) -> e.chat.onMsrpDelivered(s, c))
      .on(Bye.class, (e, s, c) -> e.chat.onBye(s, c))
      .on(End.class, (e, s, c) -> e.chat.onEnd(s, c))
      .on(IdleCheck.class, (e, s, c) -> e.chat.onIdle(s))
      .on(AckDeadline.class, (e, s, c) -> e.chat.onAckDeadline(s))
      .on(ChatSessionCommand.ReInviteFailed.class, (e, s, c) -> e.chat.onReInviteFailed(s, c))
      .on(Invite.class, (e, s, c) -> e.invitation.onRepeatedInvite(c))
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "No pending invitation"))
      .forState(Ended.class)
      .on(OriginationOutcome.class, (e, s, c) -> e.origination.onLateAnswer(s, c))
      .on(Invite.class, (e, s, c) -> e.invitation.onInviteAfterEnd(s, c))
      .on(ChatSessionCommand.RetryWindowOver.class, (e, s, c) -> {
        e.ctx.leaveMemory();
        return e.Effect().noReply();
      })
      .otherwise((e, s, c) -> e.ctx.refuse(c, 481, "Session ended (" + s.stateName() + ")"))
      .build();

  @Override
  public CommandHandlerWithReply<ChatSessionCommand, ChatSessionEvent, ChatSessionState>
      commandHandler() {
    return (state, command) -> COMMANDS.handle(this, state, command);
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
