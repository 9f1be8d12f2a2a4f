package org.ipsmgw.sip;

import java.util.function.Predicate;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.CpmIdentifiers;

/** What INVITE and MESSAGE read alike: the service feature tag, CPM identifiers, anonymity. */
final class CpmHeaders {

  /**
   * The request's CPM identifiers, or the name of the first one missing.
   *
   * @param generated the gateway made up a missing one (lenient mode)
   */
  record Ids(CpmIdentifiers ids, String missing, boolean generated) {}

  private CpmHeaders() {}

  /** Accept-Contact or P-Asserted-Service names the service. */
  static boolean namesService(Request request, Predicate<String> names) {
    return SipText.values(request, "Accept-Contact").stream().anyMatch(names)
        || SipText.values(request, Cpm.P_ASSERTED_SERVICE).stream().anyMatch(names);
  }

  /** Strict: a missing Conversation-ID or Contribution-ID is named; lenient: it is generated. */
  static Ids ids(Request request, boolean strict) {
    String conversation = SipText.value(request, Cpm.CONVERSATION_ID);
    String contribution = SipText.value(request, Cpm.CONTRIBUTION_ID);
    boolean generated = false;
    if (conversation == null || contribution == null) {
      if (strict) {
        return new Ids(null, conversation == null ? Cpm.CONVERSATION_ID : Cpm.CONTRIBUTION_ID,
            false);
      }
      conversation = conversation == null ? RandomIds.cpmId() : conversation;
      contribution = contribution == null ? RandomIds.cpmId() : contribution;
      generated = true;
    }
    return new Ids(new CpmIdentifiers(conversation, contribution,
        SipText.value(request, Cpm.IN_REPLY_TO), SipText.value(request, Cpm.SERVICE_ID)), null,
        generated);
  }

  /** The sender asked to hide its identity (Privacy: id / user, or an anonymous From). */
  static boolean anonymous(Request request) {
    String privacy = SipText.value(request, "Privacy");
    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    return (privacy != null && (privacy.contains("id") || privacy.contains("user")))
        || from.getAddress().getURI().toString().contains("anonymous");
  }
}
