package org.ipsmgw.session;

import org.ipsmgw.session.ChatSessionEvent.InvitationReceived;

/** No INVITE has been seen for this Call-ID. */
public record NoSession(String sessionId) implements ChatSessionState {

  @Override
  public String stateName() {
    return "NONE";
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof InvitationReceived e) {
      return new Deciding(e.invitation(), e.localTag());
    }
    if (event instanceof ChatSessionEvent.ChatOriginated e) {
      Translation t = Translation.EMPTY.chatMessage(MessageRecord.pending(
          Translation.EMPTY.nextMessageRef(), Direction.TO_CPM, null, null, e.firstMessage(),
          ReceiptRequest.NONE));
      return new Originating(e.invitation(), e.localTag(), e.correlationMsisdn(),
          e.msrpSessionId(), t);
    }
    throw unexpected(event);
  }
}
