package org.ipsmgw.policy;

/**
 * The outcome of combining operator policy and the SMS user's preference for one invitation.
 * {@code status} and {@code reason} are the SIP final response for REJECT, 0 and a note otherwise.
 */
public record InvitationDecision(InvitationAction action, DecisionSource source, int status,
    String reason) {

  public boolean rejects() {
    return action == InvitationAction.REJECT;
  }
}
