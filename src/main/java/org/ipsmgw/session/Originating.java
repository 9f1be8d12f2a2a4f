package org.ipsmgw.session;

import org.ipsmgw.session.ChatSessionEvent.OriginationAnswered;
import org.ipsmgw.session.ChatSessionEvent.OriginationFailed;
import org.ipsmgw.session.ChatSessionEvent.SmsMessageAccepted;

/**
 * An SMS-originated chat: the gateway's INVITE to the CPM user waits for its final response. The
 * SMS user's texts wait in {@code translation} and go out as MSRP once the chat runs.
 */
public record Originating(Invitation invitation, String localTag, String correlationMsisdn,
    String msrpSessionId, Translation translation) implements InvitedState {
  static final String CANCELLED_REASON = "Cancelled by the SMS user";

  @Override
  public String stateName() {
    return "ORIGINATING";
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof OriginationAnswered e) {
      InviteContext dialog = invitation.sip().answeredBy(e.remoteParty(), e.remoteTag(),
          e.remoteTarget(), e.routeSet());
      Invitation answered = new Invitation(invitation.sessionId(), invitation.ids(),
          invitation.parties(), dialog, invitation.sdpOffer(), false, invitation.receivedAt());
      return new Active(answered, localTag, correlationMsisdn, msrpSessionId, true, e.at(),
          translation, null);
    }
    if (event instanceof ChatSessionEvent.OriginationCancelled e) {
      return new Ended(invitation, localTag, correlationMsisdn, Outcome.REJECTED, 487,
          CANCELLED_REASON, EndCause.SMS_CANCEL, e.at(), translation);
    }
    if (event instanceof OriginationFailed e && e.status() == 487
        && CANCELLED_REASON.equals(e.reason())) {
      // Journals written before OriginationCancelled recorded the cancel this way.
      return apply(new ChatSessionEvent.OriginationCancelled(e.at()));
    }
    if (event instanceof OriginationFailed e) {
      return new Ended(invitation, localTag, correlationMsisdn, Outcome.REJECTED, e.status(),
          e.reason(), null, e.at(), translation);
    }
    if (event instanceof SmsMessageAccepted e) {
      return new Originating(invitation, localTag, correlationMsisdn, msrpSessionId,
          translation.chatMessage(MessageRecord.pending(e.messageRef(), Direction.TO_CPM, null,
              null, e.text(), ReceiptRequest.NONE),
          Translation.handoverId(e.handoverId())));
    }
    throw unexpected(event);
  }
}
