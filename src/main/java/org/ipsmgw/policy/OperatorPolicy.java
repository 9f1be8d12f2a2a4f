package org.ipsmgw.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's interworking policy (23.204 §6.15.1, §6.16; CPM-IWF-008). Immutable; a new
 * instance replaces the old one when the operator changes policy.
 *
 * @param defaultInvitation what happens to an invitation when the user's preference does not decide
 * @param userPreferenceWins true: a user's stored preference overrides {@code defaultInvitation};
 *     false: the operator's default applies to everyone
 * @param rejectStatus SIP final response for REJECT (by policy, preference or declined reply)
 * @param expiryStatus SIP final response when the reply window ends without a reply
 * @param replyWindow how long an invitation SMS waits for the reply
 * @param provisionalRefresh interval of the repeated 180 while waiting (RFC 3261 §13.3.1.1: ≤ 60 s)
 * @param idleTimeout an active chat with no message either way for this long is ended
 * @param language language whose keywords fill the {accept}/{decline}/{stop} placeholders
 * @param maxSmsParts the most SMS parts one chat message may become; a longer message is refused
 *     (MSRP 413 / failure report) rather than flooding the SMS user's phone
 * @param smsOriginated what an SMS to a CPM user's number with no chat or pager conversation
 *     becomes
 */
public record OperatorPolicy(
    InvitationAction defaultInvitation,
    boolean userPreferenceWins,
    int rejectStatus,
    int expiryStatus,
    Duration replyWindow,
    Duration provisionalRefresh,
    Duration idleTimeout,
    OtherReplyHandling otherReply,
    boolean anonymityAllowed,
    boolean teardownSms,
    boolean idleNoticeSms,
    boolean withdrawnSms,
    boolean notDeliveredSms,
    CorrelationPlan correlation,
    String language,
    Keywords keywords,
    OperatorTexts texts,
    int maxSmsParts,
    SmsOriginatedHandling smsOriginated) {

  /** Combines this policy with the SMS user's preference (the user's is empty when none is set). */
  public InvitationDecision decide(Optional<InvitationAction> userPreference,
      boolean anonymityRequested) {
    if (anonymityRequested && !anonymityAllowed) {
      return new InvitationDecision(InvitationAction.REJECT, DecisionSource.ANONYMITY, 403,
          "Anonymous interworking not allowed");
    }
    boolean userDecides = userPreferenceWins && userPreference.isPresent();
    InvitationAction action = userDecides ? userPreference.get() : defaultInvitation;
    DecisionSource source = userDecides ? DecisionSource.USER : DecisionSource.OPERATOR;
    if (action == InvitationAction.REJECT) {
      String reason = source == DecisionSource.USER ? "Declined by user preference"
          : "Declined by operator policy";
      return new InvitationDecision(action, source, rejectStatus, reason);
    }
    return new InvitationDecision(action, source, 0, source.name().toLowerCase() + " choice");
  }

  /** Renders an operator text for the given CPM sender. */
  public String render(String template, String senderName, String senderNumber) {
    return OperatorTexts.render(template, Map.of(
        "name", senderName == null || senderName.isBlank() ? senderNumber : senderName,
        "number", senderNumber,
        "accept", keywords.firstAccept(language),
        "decline", keywords.firstDecline(language),
        "stop", keywords.firstStop(language)));
  }
}
