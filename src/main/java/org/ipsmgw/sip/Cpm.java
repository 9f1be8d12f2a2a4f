package org.ipsmgw.sip;

/** OMA CPM names on SIP (CPM SD §5.2.1.1, 3GPP TS 24.229 feature tags). */
public final class Cpm {
  public static final String CONVERSATION_ID = "Conversation-ID";
  public static final String CONTRIBUTION_ID = "Contribution-ID";
  public static final String IN_REPLY_TO = "InReplyTo-Contribution-ID";
  /** The opaque non-CPM service identifier, stored and returned like the others. */
  public static final String SERVICE_ID = "Non-CPM-Service-ID";
  public static final String SESSION_ICSI = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session";
  public static final String MSG_ICSI = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg";
  /** The Contact / Accept-Contact feature tag: percent-encoded and quoted (RFC 3840). */
  public static final String SESSION_TAG =
      "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session\"";
  public static final String P_ASSERTED_SERVICE = "P-Asserted-Service";

  private Cpm() {}

  /** The feature tag of CPM standalone messages (pager mode). */
  public static final String MSG_TAG =
      "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"";

  /** Whether a header value names the CPM session service, encoded or not. */
  public static boolean namesSession(String value) {
    return names(value, SESSION_ICSI);
  }

  /** Whether a header value names the CPM standalone message service, encoded or not. */
  public static boolean namesMessage(String value) {
    return names(value, MSG_ICSI);
  }

  private static boolean names(String value, String icsi) {
    if (value == null) {
      return false;
    }
    String decoded = value.replace("%3A", ":").replace("%3a", ":");
    return decoded.contains(icsi);
  }
}
