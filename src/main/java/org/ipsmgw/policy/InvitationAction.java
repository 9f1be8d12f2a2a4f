package org.ipsmgw.policy;

/** What the gateway does with a CPM chat invitation toward an SMS user (CPM-IWF-008). */
public enum InvitationAction {
  /** Answer 200 OK on the SMS user's behalf at once (23.204 §6.15.1 NOTE 2). */
  ACCEPT,
  /** Answer with the configured final error; no SMS is sent. */
  REJECT,
  /** Send an invitation SMS and let the SMS user's reply decide. */
  INVITE_BY_SMS;

  /** Parses an operator- or API-supplied value; the message names the accepted values. */
  public static InvitationAction parse(String value) {
    for (InvitationAction a : values()) {
      if (a.name().equals(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown invitation action '" + value + "' (expected ACCEPT, REJECT or INVITE_BY_SMS)");
  }
}
