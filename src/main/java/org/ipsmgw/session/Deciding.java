package org.ipsmgw.session;

import org.ipsmgw.session.ChatSessionEvent.AcceptedOnBehalf;
import org.ipsmgw.session.ChatSessionEvent.InvitationCancelled;
import org.ipsmgw.session.ChatSessionEvent.InvitationRejected;
import org.ipsmgw.session.ChatSessionEvent.InvitationSmsRequested;

/** The INVITE is stored; policy and the SMS user's preference are being combined. */
public record Deciding(Invitation invitation, String localTag) implements InvitedState {

  @Override
  public String stateName() {
    return "DECIDING";
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof AcceptedOnBehalf e) {
      return new Active(invitation, localTag, e.correlationMsisdn(), e.msrpSessionId(), false,
          e.at(), Translation.EMPTY, e.ackDeadline());
    }
    if (event instanceof InvitationSmsRequested e) {
      Translation t = Translation.EMPTY.track(MessageRecord.pending(Translation.INVITATION_REF,
          Direction.TO_SMS, null, null, e.text(), ReceiptRequest.NONE));
      return new AwaitingReply(invitation, localTag, e.correlationMsisdn(), e.replyDeadline(), 0, t);
    }
    if (event instanceof InvitationRejected e) {
      return new Ended(this.invitation, localTag, null, Outcome.REJECTED, e.status(), e.reason(),
          null, e.at(), Translation.EMPTY);
    }
    if (event instanceof InvitationCancelled e) {
      return new Ended(invitation, localTag, null, Outcome.CANCELLED, 487, "Request Terminated",
          null, e.at(), Translation.EMPTY);
    }
    throw unexpected(event);
  }
}
