package org.ipsmgw.session;

import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.policy.ReplyIntent;
import org.ipsmgw.session.ChatSessionCommand.BindMedia;
import org.ipsmgw.session.ChatSessionCommand.Bye;
import org.ipsmgw.session.ChatSessionCommand.CpmMessage;
import org.ipsmgw.session.ChatSessionCommand.CpmMessages;
import org.ipsmgw.session.ChatSessionCommand.End;
import org.ipsmgw.session.ChatSessionCommand.MediaClosed;
import org.ipsmgw.session.ChatSessionCommand.MediaDetached;
import org.ipsmgw.session.ChatSessionCommand.MsrpDelivered;
import org.ipsmgw.session.ChatSessionCommand.ReInviteFailed;
import org.ipsmgw.session.ChatSessionCommand.RefreshTarget;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionEvent.CpmMessageAccepted;
import org.ipsmgw.session.ChatSessionEvent.DialogConfirmed;
import org.ipsmgw.session.ChatSessionEvent.MsrpHandedOver;
import org.ipsmgw.session.ChatSessionEvent.SessionEnded;
import org.ipsmgw.session.ChatSessionEvent.SmsMessageAccepted;
import org.ipsmgw.session.ChatSessionEvent.TargetRefreshed;

/**
 * The running chat (Active): the dialog is confirmed or refreshed, messages are taken each way
 * and handed to the other side's edge, and the chat ends by BYE, stop keyword, idle timeout, the
 * admin API, a 200 never ACKed, or a re-INVITE that could not move the media path.
 */
final class ChatHandlers {
  private final SessionContext ctx;
  private final CpmIntake intake;

  ChatHandlers(SessionContext ctx) {
    this.ctx = ctx;
    this.intake = new CpmIntake(ctx);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onAck(Active state) {
    if (state.confirmed()) {
      return ctx.effect().noReply();
    }
    return ctx.persist(state, new DialogConfirmed(ctx.now())).thenRun(s -> {
      ctx.timers.ackArrived();
      ctx.log("ACK: dialog confirmed");
    }).thenNoReply();
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onRefreshTarget(Active state,
      RefreshTarget cmd) {
    if (cmd.remoteTarget() == null || cmd.remoteTarget().isBlank()) {
      return ctx.refuse(cmd, 400, "re-INVITE without Contact");
    }
    TargetReply refreshed = new TargetReply.Refreshed(state.invitation().ids(), state.localTag(),
        state.msrpSessionId());
    if (cmd.remoteTarget().equals(state.invitation().sip().remoteTarget())) {
      return ctx.effect().reply(cmd.replyTo(), refreshed);
    }
    return ctx.persist(state, new TargetRefreshed(cmd.remoteTarget(), ctx.now()))
        .thenRun(s -> ctx.log("re-INVITE: remote target now {}", cmd.remoteTarget()))
        .thenReply(cmd.replyTo(), s -> refreshed);
  }

  /**
   * An MSRP connection for this chat's session: it carries the chat between these two, and the
   * chat's messages and notices go to it from now on (the connection holds any that overtake
   * this reply until it has bound).
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onBind(InvitedState state, String msrpSessionId,
      BindMedia cmd) {
    if (!msrpSessionId.equals(cmd.msrpSessionId())) {
      return ctx.refuse(cmd, 481, "MSRP session is not this chat's");
    }
    if (cmd.connection() == null) {
      return ctx.refuse(cmd, 400, "MSRP bind without a connection");
    }
    Parties p = state.invitation().parties();
    ctx.attach(state, cmd.connection());
    return ctx.effect().reply(cmd.replyTo(), new BindReply.Bound(p.cpmIdentity(), p.smsMsisdn(),
        state instanceof Active));
  }

  /**
   * The attached MSRP connection ended without the orderly close a connection always gives
   * first ({@link #onMediaClosed}): its node died or left. A running chat re-INVITEs the CPM side
   * with its MSRP path on this node, as a recovered chat does; if that fails, the chat ends
   * MEDIA_LOST ({@link #onReInviteFailed}). Not while this node itself leaves (its connections
   * stop then too): the chat's recovery on another node re-INVITEs.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onMediaDetached(ChatSessionState state,
      MediaDetached cmd) {
    if (ctx.lost(cmd.connection()) && state instanceof Active active) {
      if (ctx.leaving()) {
        // A path on a node that is leaving would be lost again: the chat re-INVITEs from the
        // node it recovers on.
        ctx.log("this node is leaving; the chat re-INVITEs from the node it moves to");
      } else {
        ctx.log("re-INVITE with this node's MSRP path");
        // Counted before it leaves: whoever sees the re-INVITE can already see the count.
        ctx.settings.observer().reInvited("media_lost");
        ctx.reInvite(active);
      }
    }
    return ctx.effect().noReply();
  }

  /**
   * The attached MSRP connection closes in order (the CPM client closed it, often just before its
   * BYE): stop watching it, then answer, so that its end is not taken for a lost node.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onMediaClosed(ChatSessionState state,
      MediaClosed cmd) {
    ctx.closedByPeer(cmd.connection());
    return ctx.effect().reply(cmd.replyTo(), SessionContext.ACCEPTED);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onCpmMessage(Active state, CpmMessage cmd) {
    CpmIntake.Plan plan = intake.plan(state, List.of(new CpmText(cmd.msrpMessageId(),
        cmd.imdnMessageId(), cmd.text(), cmd.receipt(), cmd.failureReport())));
    CommandReply reply = plan.outcomes().get(0).asCommandReply();
    return intake.take(state, plan).thenReply(cmd.replyTo(), s -> reply);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onCpmMessages(Active state, CpmMessages cmd) {
    CpmIntake.Plan plan = intake.plan(state, cmd.messages());
    CpmMessagesReply reply = new CpmMessagesReply.Each(plan.outcomes());
    return intake.take(state, plan).thenReply(cmd.replyTo(), s -> reply);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onSmsMessage(Active state, SmsFromUser cmd) {
    if (ctx.tooLate(cmd)) {
      return ctx.refuseLate(cmd);
    }
    if (ctx.policy().keywords().classify(cmd.text()) == ReplyIntent.STOP) {
      return end(state, EndCause.SMS_STOP).thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
    }
    if (state.translation().took(Translation.handoverId(cmd.handoverId()))) {
      return ctx.repeatedHandover(cmd);
    }
    String ref = state.translation().nextMessageRef();
    return ctx.persist(state, new SmsMessageAccepted(ref, cmd.text(), cmd.receivedAt(),
            ctx.now(), cmd.handoverId()))
        .thenRun(s -> {
          Active active = (Active) s;
          ctx.log("SMS message {} to CPM, {} chars", ref, cmd.text().length());
          active.translation().byRef(ref).ifPresent(m -> ctx.sendToCpm(active, m));
          ctx.timers.armIdle(active, ctx.policy().idleTimeout());
        })
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /**
   * The CPM side answered 200 to what the chat sent it under this reference (an SMS user's
   * message, or the notice about a CPM user's message): no longer owed. A repeat, from a resend,
   * changes nothing.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onMsrpDelivered(Active state,
      MsrpDelivered cmd) {
    if (!state.translation().owesCpm(cmd.messageRef())) {
      return ctx.effect().noReply();
    }
    return ctx.persist(state, new MsrpHandedOver(cmd.messageRef(), ctx.now())).thenNoReply();
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onBye(Active state, Bye cmd) {
    return end(state, EndCause.CPM_BYE)
        .thenReply(cmd.replyTo(), s -> new CloseReply.Closed(state.invitation().ids()));
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onEnd(Active state, End cmd) {
    return end(state, EndCause.ADMIN).thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onIdle(Active state) {
    return end(state, EndCause.IDLE_TIMEOUT).thenNoReply();
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onAckDeadline(Active state) {
    return state.awaitingAck() ? end(state, EndCause.NO_ACK).thenNoReply()
        : ctx.effect().noReply();
  }

  /**
   * The re-INVITE that was to carry the chat's media path to this node failed: without a path
   * the chat cannot go on, so it ends like any other (BYE best effort, teardown SMS, number
   * freed) instead of staying open with no way to deliver.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onReInviteFailed(Active state,
      ReInviteFailed cmd) {
    ctx.log("re-INVITE failed: {} {}", cmd.status(), cmd.reason());
    return end(state, EndCause.MEDIA_LOST).thenNoReply();
  }

  /**
   * The chat ends: a BYE unless the CPM side sent one, the teardown or idle notice SMS as policy
   * says, and the number freed.
   */
  private EffectBuilder<ChatSessionEvent, ChatSessionState> end(Active state, EndCause cause) {
    return ctx.persist(state, new SessionEnded(cause, ctx.now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          ctx.log("chat ended: {}", cause);
          if (cause != EndCause.CPM_BYE) {
            ctx.request(ended, "BYE", ended.invitation().sip(), null);
          }
          String text = switch (cause) {
            case CPM_BYE, ADMIN, MEDIA_LOST -> ctx.policy().teardownSms()
                ? ctx.policy().texts().teardown() : null;
            case IDLE_TIMEOUT -> ctx.policy().idleNoticeSms()
                ? ctx.policy().texts().idleNotice() : null;
            case SMS_STOP, NO_ACK, SMS_CANCEL -> null;
          };
          if (text != null) {
            ctx.submit(ended, "teardown", ctx.notice(ended, text), ReceiptRequest.NONE);
          }
          ctx.finish(ended);
        });
  }
}
