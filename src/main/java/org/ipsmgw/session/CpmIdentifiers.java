package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * The CPM identifiers of a conversation, stored byte for byte as received and sent back unchanged
 * in every response and gateway-originated request (OMA CPM SD §5.2.1.1, §5.3.1.2).
 * {@code inReplyToContributionId} and {@code nonCpmServiceId} may be null.
 */
public record CpmIdentifiers(String conversationId, String contributionId,
    String inReplyToContributionId, String nonCpmServiceId) implements CborSerializable {

  /** The name of the first mandatory identifier that is missing or blank, or null when complete. */
  public String firstMissing() {
    if (conversationId == null || conversationId.isBlank()) {
      return "Conversation-ID";
    }
    if (contributionId == null || contributionId.isBlank()) {
      return "Contribution-ID";
    }
    return null;
  }
}
