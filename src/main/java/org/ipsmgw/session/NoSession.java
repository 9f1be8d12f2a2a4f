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
    throw unexpected(event);
  }
}
