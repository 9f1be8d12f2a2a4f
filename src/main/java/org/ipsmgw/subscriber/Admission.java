package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationDecision;

/**
 * The subscriber's answer to an invitation: the decision, and the correlation number reserved for
 * the chat (null when the decision rejects).
 */
public record Admission(InvitationDecision decision, String correlationMsisdn)
    implements CborSerializable {}
