package org.ipsmgw.session;

import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.RandomIds;
import org.ipsmgw.policy.OtherReplyHandling;
import org.ipsmgw.policy.ReplyIntent;
import org.ipsmgw.session.ChatSessionCommand.End;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionEvent.InvitationExpired;
import org.ipsmgw.session.ChatSessionEvent.ReplyAccepted;
import org.ipsmgw.session.ChatSessionEvent.ReplyNotUnderstood;

/**
 * The invitation SMS waits for its reply (AwaitingReply): a keyword accepts or declines, other
 * text is taken or asked about again by policy, and the reply window's end expires the
 * invitation. The CPM side keeps hearing 180 meanwhile.
 */
final class ReplyHandlers {
  private final SessionContext ctx;
  private final InvitationHandlers invitation;

  ReplyHandlers(SessionContext ctx, InvitationHandlers invitation) {
    this.ctx = ctx;
    this.invitation = invitation;
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onReply(AwaitingReply state,
      SmsFromUser cmd) {
    if (ctx.tooLate(cmd)) {
      return ctx.refuseLate(cmd);
    }
    ReplyIntent intent = ctx.policy().keywords().classify(cmd.text());
    if (intent == ReplyIntent.ACCEPT) {
      return accept(state, null, cmd.replyTo());
    }
    if (intent == ReplyIntent.DECLINE || intent == ReplyIntent.STOP) {
      return invitation.reject(state, ctx.policy().rejectStatus(), "Declined by SMS user")
          .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
    }
    if (ctx.policy().otherReply() == OtherReplyHandling.ACCEPT_WITH_TEXT) {
      return accept(state, cmd.text(), cmd.replyTo());
    }
    String text = ctx.policy().render(ctx.policy().texts().askAgain(),
        SessionContext.senderName(state.invitation()), state.correlationMsisdn());
    return ctx.persist(state, new ReplyNotUnderstood(ctx.now()))
        .thenRun(s -> {
          AwaitingReply waiting = (AwaitingReply) s;
          ctx.log("reply is no keyword; asking again (reminder {})", waiting.reminders());
          ctx.submit(waiting, "ask-again-" + waiting.reminders(), text, ReceiptRequest.NONE);
        })
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> accept(AwaitingReply state,
      String firstMessage, ActorRef<CommandReply> replyTo) {
    Instant now = ctx.now();
    return ctx.persist(state, new ReplyAccepted(RandomIds.sessionId(), firstMessage, now,
            now.plus(ctx.settings.ackTimeout())))
        .thenRun(s -> {
          Active active = (Active) s;
          ctx.log("SMS user accepted the invitation{}",
              firstMessage == null ? "" : " with a message");
          ctx.timers.cancelAll();
          ctx.respond(active, 200, "OK", active.msrpSessionId());
          active.translation().pending().forEach(m -> ctx.sendToCpm(active, m));
          ctx.timers.armIdle(active, ctx.policy().idleTimeout());
          ctx.timers.armAck(active);
        })
        .thenReply(replyTo, s -> SessionContext.ACCEPTED);
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onReplyWindowElapsed(AwaitingReply state) {
    int status = ctx.policy().expiryStatus();
    return ctx.persist(state, new InvitationExpired(status, ctx.now()))
        .thenRun(s -> {
          ctx.log("no reply within the reply window");
          ctx.respond(s, status, "Temporarily Unavailable", null);
          ctx.finish(s);
        })
        .thenNoReply();
  }

  /** The 180 again, so proxies on the way keep the INVITE's transaction open. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onRefreshProvisional(AwaitingReply state) {
    return ctx.effect().none().thenRun(s -> ctx.respond(s, 180, "Ringing", null)).thenNoReply();
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onEnd(AwaitingReply state, End cmd) {
    return invitation.reject(state, 480, "Ended by operator: " + cmd.reason())
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }
}
