package org.ipsmgw.session;

import java.time.Instant;
import org.ipsmgw.session.ChatSessionEvent.CpmMessageAccepted;
import org.ipsmgw.session.ChatSessionEvent.DeliveryReported;
import org.ipsmgw.session.ChatSessionEvent.DialogConfirmed;
import org.ipsmgw.session.ChatSessionEvent.FailureReceiptsForgotten;
import org.ipsmgw.session.ChatSessionEvent.MsrpHandedOver;
import org.ipsmgw.session.ChatSessionEvent.SessionEnded;
import org.ipsmgw.session.ChatSessionEvent.SmsMessageAccepted;
import org.ipsmgw.session.ChatSessionEvent.SmsSubmitFailed;
import org.ipsmgw.session.ChatSessionEvent.SmsSubmitted;
import org.ipsmgw.session.ChatSessionEvent.TargetRefreshed;

/**
 * The chat runs: 200 OK was sent; messages flow both ways.
 *
 * @param confirmed the CPM side's ACK arrived
 * @param lastActivity the last chat message either way (or acceptance), for the idle timeout
 * @param ackDeadline while not confirmed: when the chat ends with a BYE for want of the 200's
 *     ACK (64·T1, RFC 3261 §13.3.1.4); null when the gateway sent the ACK itself, or for a chat
 *     accepted before the deadline was recorded
 */
public record Active(Invitation invitation, String localTag, String correlationMsisdn,
    String msrpSessionId, boolean confirmed, Instant lastActivity, Translation translation,
    Instant ackDeadline) implements InvitedState {

  /** The 200 is still waiting for its ACK, and the chat ends at {@link #ackDeadline}. */
  public boolean awaitingAck() {
    return !confirmed && ackDeadline != null;
  }

  @Override
  public String stateName() {
    return "ACTIVE";
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof DialogConfirmed) {
      return new Active(invitation.withoutOffer(), localTag, correlationMsisdn, msrpSessionId,
          true, lastActivity, translation, null);
    }
    if (event instanceof TargetRefreshed e) {
      InviteContext d = invitation.sip();
      InviteContext refreshed = new InviteContext(d.requestUri(), d.via(), d.from(), d.to(),
          d.callId(), d.cseq(), d.remoteTag(), e.remoteTarget(), d.recordRoute());
      Invitation moved = new Invitation(invitation.sessionId(), invitation.ids(),
          invitation.parties(), refreshed, invitation.sdpOffer(), invitation.anonymous(),
          invitation.receivedAt());
      return new Active(moved, localTag, correlationMsisdn, msrpSessionId, confirmed,
          lastActivity, translation, ackDeadline);
    }
    if (event instanceof CpmMessageAccepted e) {
      return active(e.at(), translation.chatMessage(MessageRecord.pending(e.messageRef(),
          Direction.TO_SMS, e.msrpMessageId(), e.imdnMessageId(), e.text(), e.receipt(),
          e.failureReport()), Translation.msrpId(e.msrpMessageId())));
    }
    if (event instanceof SmsMessageAccepted e) {
      return active(e.at(), translation.chatMessage(MessageRecord.pending(e.messageRef(),
          Direction.TO_CPM, null, null, e.text(), ReceiptRequest.NONE),
          Translation.handoverId(e.handoverId())));
    }
    if (event instanceof MsrpHandedOver e) {
      return active(lastActivity, translation.handedOver(e.messageRef()));
    }
    if (event instanceof SmsSubmitted e) {
      return active(lastActivity, translation.submitted(e.messageRef(), e.smscIds()));
    }
    if (event instanceof SmsSubmitFailed e) {
      return active(lastActivity, translation.submitFailed(e.messageRef()));
    }
    if (event instanceof DeliveryReported e) {
      return active(lastActivity, translation.receipt(e.messageRef(), e.smscId(), e.delivered()));
    }
    if (event instanceof FailureReceiptsForgotten e) {
      return active(lastActivity, translation.forget(e.messageRefs()));
    }
    if (event instanceof SessionEnded e) {
      return new Ended(invitation, localTag, correlationMsisdn, Outcome.CLOSED, 200, "Chat ended",
          e.cause(), e.at(), translation);
    }
    throw unexpected(event);
  }

  private Active active(Instant activity, Translation t) {
    return new Active(invitation, localTag, correlationMsisdn, msrpSessionId, confirmed, activity,
        t, ackDeadline);
  }
}
