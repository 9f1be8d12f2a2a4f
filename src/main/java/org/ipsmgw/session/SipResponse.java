package org.ipsmgw.session;

/**
 * A response to the CPM INVITE decided by the session. The SIP edge adds the cpm.session feature tag
 * to the Contact of 18x/2xx, copies {@code ids} into CPM headers, and builds the SDP answer of a 200
 * from {@code msrpSessionId} and its own MSRP endpoint.
 *
 * @param localTag the To tag of the gateway side, the same in every response of the session
 * @param msrpSessionId the gateway's MSRP session id for a 200, null otherwise
 */
public record SipResponse(String sessionId, InviteContext invite, String localTag, int status,
    String reason, CpmIdentifiers ids, String msrpSessionId) {

  public boolean isFinal() {
    return status >= 200;
  }
}
