package org.ipsmgw.session;

/**
 * A gateway-originated out-of-dialog SIP MESSAGE to a CPM user (CPM standalone message, "pager
 * mode"): an SMS user's text or an IMDN, carried as CPIM.
 *
 * @param conversationKey the pager conversation that sends it, which learns the outcome
 * @param messageRef the message's reference within that conversation
 * @param target the CPM user's URI (its identity, or {@code tel:+E164} for a new conversation)
 * @param fromMsisdn the SMS user, E.164, shown as {@code <tel:+E164>}
 * @param ids the CPM identifiers the MESSAGE carries
 * @param cpim the body, message/cpim
 */
public record SipMessageRequest(String conversationKey, String messageRef, String target,
    String fromMsisdn, CpmIdentifiers ids, byte[] cpim) {}
