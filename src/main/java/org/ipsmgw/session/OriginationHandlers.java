package org.ipsmgw.session;

import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.RandomIds;
import org.ipsmgw.policy.ReplyIntent;
import org.ipsmgw.session.ChatSessionCommand.Originate;
import org.ipsmgw.session.ChatSessionCommand.OriginationOutcome;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionEvent.ChatOriginated;
import org.ipsmgw.session.ChatSessionEvent.OriginationAnswered;
import org.ipsmgw.session.ChatSessionEvent.OriginationCancelled;
import org.ipsmgw.session.ChatSessionEvent.OriginationFailed;
import org.ipsmgw.session.ChatSessionEvent.SmsMessageAccepted;

/**
 * The SMS-originated branch: an SMS user's text to a CPM user opens a chat with the gateway's
 * own INVITE (NoSession → Originating); its final response runs the chat or ends it, and the
 * SMS user's stop keyword cancels it.
 */
final class OriginationHandlers {
  private final SessionContext ctx;

  OriginationHandlers(SessionContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The gateway invites the CPM user with new CPM identifiers and this node's MSRP path; the SMS
   * becomes the first chat message once the chat runs.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onOriginate(NoSession state, Originate cmd) {
    String sessionId = ctx.sessionId;
    CpmIdentifiers ids = new CpmIdentifiers(RandomIds.cpmId(), RandomIds.cpmId(), null, null);
    String target = "tel:" + cmd.cpmMsisdn();
    InviteContext dialog = new InviteContext(target, List.of(), "<" + target + ">",
        "<tel:" + cmd.smsMsisdn() + ">", sessionId, 1, null, target, List.of());
    Invitation invitation = new Invitation(sessionId, ids,
        new Parties(target, cmd.cpmMsisdn(), null, cmd.smsMsisdn()), dialog, "", false,
        cmd.receivedAt());
    return ctx.persist(state, new ChatOriginated(invitation, RandomIds.token(), cmd.cpmMsisdn(),
            RandomIds.sessionId(), cmd.text(), ctx.now()))
        .thenRun(s -> {
          ctx.knowSmsUser(s);
          ctx.log("SMS from {} to CPM user {} opens a chat: INVITE, Conversation-ID {}",
              cmd.smsMsisdn(), cmd.cpmMsisdn(), ids.conversationId());
          invite((Originating) s);
        })
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /** A repeated Originate (the subscriber's retry): the chat is already on its way. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onRepeatedOriginate(Originate cmd) {
    return ctx.effect().reply(cmd.replyTo(), SessionContext.ACCEPTED);
  }

  void invite(Originating o) {
    ctx.request(o, "INVITE", o.invitation().sip(), o.msrpSessionId());
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onOutcome(Originating state,
      OriginationOutcome cmd) {
    if (cmd.status() / 100 == 2) {
      return ctx.persist(state, new OriginationAnswered(cmd.remoteParty(), cmd.remoteTag(),
              cmd.remoteTarget(), cmd.routeSet(), ctx.now()))
          .thenRun(s -> {
            Active active = (Active) s;
            ctx.log("CPM user accepted the chat");
            active.translation().pending().forEach(m -> ctx.sendToCpm(active, m));
            ctx.timers.armIdle(active, ctx.policy().idleTimeout());
          })
          .thenNoReply();
    }
    return ctx.persist(state, new OriginationFailed(cmd.status(), cmd.reason(), ctx.now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          ctx.log("CPM user did not take the chat: {} {}", cmd.status(), cmd.reason());
          if (ctx.policy().notDeliveredSms()) {
            ctx.submit(ended, "not-delivered",
                ctx.notice(ended, ctx.policy().texts().notDelivered()), ReceiptRequest.NONE);
          }
          ctx.finish(ended);
        })
        .thenNoReply();
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onSms(Originating state, SmsFromUser cmd) {
    if (ctx.tooLate(cmd)) {
      return ctx.refuseLate(cmd);
    }
    if (ctx.policy().keywords().classify(cmd.text()) == ReplyIntent.STOP) {
      return ctx.persist(state, new OriginationCancelled(ctx.now()))
          .thenRun(s -> {
            ctx.log("SMS user sent the stop keyword before the CPM user answered: CANCEL");
            ctx.request(state, "CANCEL", state.invitation().sip(), state.msrpSessionId());
            ctx.finish(s);
          })
          .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
    }
    if (state.translation().took(Translation.handoverId(cmd.handoverId()))) {
      return ctx.repeatedHandover(cmd);
    }
    String ref = state.translation().nextMessageRef();
    return ctx.persist(state, new SmsMessageAccepted(ref, cmd.text(), cmd.receivedAt(),
            ctx.now(), cmd.handoverId()))
        .thenRun(s -> ctx.log("SMS {} waits for the chat to be accepted", ref))
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /**
   * A 2xx that crossed the CANCEL of the gateway's INVITE: the CPM side now holds a dialog the
   * chat no longer wants, so it gets a BYE (RFC 3261 §9.1).
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onLateAnswer(Ended state,
      OriginationOutcome cmd) {
    if (state.cause() != EndCause.SMS_CANCEL || cmd.status() / 100 != 2
        || cmd.remoteTag() == null) {
      return ctx.effect().noReply();
    }
    InviteContext dialog = state.invitation().sip().answeredBy(cmd.remoteParty(),
        cmd.remoteTag(), cmd.remoteTarget(), cmd.routeSet());
    return ctx.effect().none().thenRun(s -> {
      ctx.log("the CPM user answered after the chat ended; BYE");
      ctx.request(state, "BYE", dialog, null);
    }).thenNoReply();
  }
}
