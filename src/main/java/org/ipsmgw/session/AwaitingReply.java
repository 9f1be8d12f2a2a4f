package org.ipsmgw.session;

import java.time.Instant;
import org.ipsmgw.session.ChatSessionEvent.DeliveryReported;
import org.ipsmgw.session.ChatSessionEvent.FailureReceiptsForgotten;
import org.ipsmgw.session.ChatSessionEvent.InvitationCancelled;
import org.ipsmgw.session.ChatSessionEvent.InvitationExpired;
import org.ipsmgw.session.ChatSessionEvent.InvitationRejected;
import org.ipsmgw.session.ChatSessionEvent.ReplyAccepted;
import org.ipsmgw.session.ChatSessionEvent.ReplyNotUnderstood;
import org.ipsmgw.session.ChatSessionEvent.SmsSubmitFailed;
import org.ipsmgw.session.ChatSessionEvent.SmsSubmitted;

/**
 * The invitation SMS is out; 180 is repeated while the SMS user's reply is awaited until
 * {@code replyDeadline}.
 *
 * @param reminders how many ask-again texts were sent
 */
public record AwaitingReply(Invitation invitation, String localTag, String correlationMsisdn,
    Instant replyDeadline, int reminders, Translation translation) implements InvitedState {

  @Override
  public String stateName() {
    return "AWAITING_REPLY";
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof ReplyAccepted e) {
      Translation t = e.firstMessage() == null ? Translation.EMPTY
          : Translation.EMPTY.chatMessage(MessageRecord.pending(Translation.EMPTY.nextMessageRef(),
              Direction.TO_CPM, null, null, e.firstMessage(), ReceiptRequest.NONE));
      return new Active(invitation, localTag, correlationMsisdn, e.msrpSessionId(), false, e.at(), t,
          e.ackDeadline());
    }
    if (event instanceof ReplyNotUnderstood) {
      return new AwaitingReply(invitation, localTag, correlationMsisdn, replyDeadline,
          reminders + 1, translation);
    }
    if (event instanceof InvitationRejected e) {
      return end(Outcome.REJECTED, e.status(), e.reason(), e.at());
    }
    if (event instanceof InvitationExpired e) {
      return end(Outcome.EXPIRED, e.status(), "No reply to the invitation SMS", e.at());
    }
    if (event instanceof InvitationCancelled e) {
      return end(Outcome.CANCELLED, 487, "Request Terminated", e.at());
    }
    if (event instanceof SmsSubmitted e) {
      return with(translation.submitted(e.messageRef(), e.smscIds()));
    }
    if (event instanceof SmsSubmitFailed e) {
      return with(translation.submitFailed(e.messageRef()));
    }
    if (event instanceof DeliveryReported e) {
      return with(translation.receipt(e.messageRef(), e.smscId(), e.delivered()));
    }
    if (event instanceof FailureReceiptsForgotten e) {
      return with(translation.forget(e.messageRefs()));
    }
    throw unexpected(event);
  }

  private AwaitingReply with(Translation t) {
    return new AwaitingReply(invitation, localTag, correlationMsisdn, replyDeadline, reminders, t);
  }

  private Ended end(Outcome outcome, int status, String reason, Instant at) {
    return new Ended(invitation, localTag, correlationMsisdn, outcome, status, reason, null, at,
        translation);
  }
}
