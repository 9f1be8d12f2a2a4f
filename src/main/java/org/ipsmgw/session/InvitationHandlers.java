package org.ipsmgw.session;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.AnsweringThread;
import org.ipsmgw.RandomIds;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.session.ChatSessionCommand.AdmissionAnswered;
import org.ipsmgw.session.ChatSessionCommand.Cancel;
import org.ipsmgw.session.ChatSessionCommand.Invite;
import org.ipsmgw.session.ChatSessionEvent.AcceptedOnBehalf;
import org.ipsmgw.session.ChatSessionEvent.InvitationCancelled;
import org.ipsmgw.session.ChatSessionEvent.InvitationReceived;
import org.ipsmgw.session.ChatSessionEvent.InvitationRejected;
import org.ipsmgw.session.ChatSessionEvent.InvitationSmsRequested;
import org.ipsmgw.subscriber.Admission;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;

/**
 * The invitation branch of the state diagram: an INVITE is stored (NoSession → Deciding), the SMS
 * user's subscriber decides, and the chat is accepted on the user's behalf, turned into an
 * invitation SMS, or rejected; the CPM side may CANCEL until then.
 */
final class InvitationHandlers {
  private final SessionContext ctx;

  InvitationHandlers(SessionContext ctx) {
    this.ctx = ctx;
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onInvite(NoSession state, Invite cmd) {
    return receive(state, cmd);
  }

  /**
   * The same Call-ID's INVITE again after this chat was refused 503 "for now" (its SMS user's
   * entity did not answer, as while a crashed node's shards move): the SIP front's failure route
   * sends a refused INVITE to the next node, and sharding brings it back here. It is decided
   * afresh; the SMS user's entity gives the same correlation number to the same session id. Any
   * other ended chat's Call-ID is not reused: 481.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onInviteAfterEnd(Ended state, Invite cmd) {
    if (!state.refusedForNow()) {
      return ctx.refuse(cmd, 481, "Session ended (" + state.stateName() + ")");
    }
    ctx.log("INVITE again after its 503; deciding it afresh");
    ctx.timers.cancelAll();
    return receive(state, cmd);
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> receive(ChatSessionState state,
      Invite cmd) {
    Optional<Refusal> problem = InvitationCheck.problem(ctx.sessionId, cmd.invitation());
    if (problem.isPresent()) {
      return ctx.refuse(cmd, problem.get().status(), problem.get().reason());
    }
    Invitation stored = InvitationCheck.withCanonicalNumbers(cmd.invitation());
    return ctx.persist(state, new InvitationReceived(stored, RandomIds.token()))
        .thenRun(s -> {
          ctx.knowSmsUser(s);
          ctx.log("INVITE from {} to SMS user {}, Conversation-ID {}",
              stored.parties().cpmIdentity(), stored.parties().smsMsisdn(),
              stored.ids().conversationId());
          askAdmission((Deciding) s);
        })
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /** A retransmitted INVITE of a stored invitation: already taken. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onRepeatedInvite(Invite cmd) {
    return ctx.effect().reply(cmd.replyTo(), SessionContext.ACCEPTED);
  }

  void askAdmission(Deciding state) {
    Parties p = state.invitation().parties();
    // Not ActorContext.ask: it pipes Pekko's answer through handle() without an executor (see
    // AnsweringThread). Copied into a plain future on the answering thread, it starts no thread.
    CompletableFuture<Admission> answer = new CompletableFuture<>();
    AskPattern.<SmsSubscriberCommand, Admission>ask(ctx.subscriber(p.smsMsisdn()),
            replyTo -> new AdmitInvitation(ctx.sessionId, p.cpmMsisdn(),
                state.invitation().anonymous(), replyTo),
            ctx.settings.admissionTimeout(), ctx.actor().getSystem().scheduler())
        .whenCompleteAsync((admission, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else {
            answer.complete(admission);
          }
        }, AnsweringThread.RUN);
    ctx.actor().pipeToSelf(answer, (admission, failure) -> new AdmissionAnswered(admission,
        failure == null ? null : String.valueOf(failure.getMessage())));
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onAdmission(Deciding state,
      AdmissionAnswered answer) {
    if (answer.admission() == null) {
      ctx.warn("subscriber did not answer: {}", answer.failure());
      return reject(state, 503, "Subscriber data unavailable").thenNoReply();
    }
    InvitationDecision decision = answer.admission().decision();
    String correlation = answer.admission().correlationMsisdn();
    return switch (decision.action()) {
      case ACCEPT -> acceptOnBehalf(state, decision, correlation);
      case INVITE_BY_SMS -> inviteBySms(state, decision, correlation);
      case REJECT -> reject(state, decision.status(), decision.reason()).thenNoReply();
    };
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> acceptOnBehalf(Deciding state,
      InvitationDecision decision, String correlation) {
    Instant now = ctx.now();
    return ctx.persist(state, new AcceptedOnBehalf(correlation, RandomIds.sessionId(),
            decision.source(), now, now.plus(ctx.settings.ackTimeout())))
        .thenRun(s -> {
          Active active = (Active) s;
          ctx.log("accepted on behalf of the SMS user ({}), correlation number {}",
              decision.source(), correlation);
          ctx.respond(active, 200, "OK", active.msrpSessionId());
          ctx.timers.armIdle(active, ctx.policy().idleTimeout());
          ctx.timers.armAck(active);
        })
        .thenNoReply();
  }

  private ReplyEffect<ChatSessionEvent, ChatSessionState> inviteBySms(Deciding state,
      InvitationDecision decision, String correlation) {
    String text = invitationText(state.invitation(), correlation);
    return ctx.persist(state, new InvitationSmsRequested(correlation,
            ctx.now().plus(ctx.policy().replyWindow()), decision.source(), text, ctx.now()))
        .thenRun(s -> {
          AwaitingReply waiting = (AwaitingReply) s;
          ctx.log("invitation SMS from {} to {} ({}), reply window until {}", correlation,
              waiting.invitation().parties().smsMsisdn(), decision.source(),
              waiting.replyDeadline());
          ctx.respond(waiting, 180, "Ringing", null);
          ctx.submit(waiting, Translation.INVITATION_REF, text, ReceiptRequest.NONE);
          ctx.timers.armAwaiting(waiting, ctx.policy().provisionalRefresh());
        })
        .thenNoReply();
  }

  private String invitationText(Invitation inv, String correlation) {
    Parties p = inv.parties();
    // An anonymous sender's number must not reach the SMS user (23.204 §6.15.1 step 4).
    String number = inv.anonymous() ? correlation
        : p.cpmMsisdn() != null ? p.cpmMsisdn() : p.cpmIdentity();
    return ctx.policy().render(ctx.policy().texts().invitation(),
        SessionContext.senderName(inv), number);
  }

  /** CANCEL while the invitation is open: 487, the optional withdrawn SMS, the number freed. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onCancel(InvitedState state, Cancel cmd) {
    return ctx.persist(state, new InvitationCancelled(ctx.now()))
        .thenRun(s -> {
          Ended ended = (Ended) s;
          ctx.log("invitation cancelled by the CPM user");
          ctx.respond(ended, 487, "Request Terminated", null);
          if (ctx.policy().withdrawnSms() && ended.correlationMsisdn() != null) {
            ctx.submit(ended, "withdrawn", ctx.notice(ended, ctx.policy().texts().withdrawn()),
                ReceiptRequest.NONE);
          }
          ctx.finish(ended);
        })
        .thenReply(cmd.replyTo(), s -> new CloseReply.Closed(ended(s).invitation().ids()));
  }

  /** The final error response to the INVITE; the chat ends and frees its number. */
  EffectBuilder<ChatSessionEvent, ChatSessionState> reject(InvitedState state, int status,
      String reason) {
    return ctx.persist(state, new InvitationRejected(status, reason, ctx.now()))
        .thenRun(s -> {
          ctx.log("invitation rejected: {} {}", status, reason);
          ctx.respond(s, status, reason, null);
          ctx.finish(s);
        });
  }

  private static Ended ended(ChatSessionState state) {
    return (Ended) state;
  }
}
