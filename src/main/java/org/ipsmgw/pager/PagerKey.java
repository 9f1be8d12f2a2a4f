package org.ipsmgw.pager;

import java.util.Optional;

/**
 * The id of a pager conversation: the SMS user and the CPM user's number,
 * {@code pager#<sms E.164>#<cpm E.164>}. '#' cannot occur in a SIP Call-ID, so an id that is a
 * chat session's can never be taken for a pager conversation's (both travel as the "session id"
 * of an SMS submission and its receipts).
 */
public record PagerKey(String smsMsisdn, String cpmMsisdn) {
  private static final String PREFIX = "pager#";

  public String id() {
    return PREFIX + smsMsisdn + "#" + cpmMsisdn;
  }

  public static boolean isPager(String id) {
    return id.startsWith(PREFIX);
  }

  public static Optional<PagerKey> parse(String id) {
    if (!isPager(id)) {
      return Optional.empty();
    }
    String[] parts = id.substring(PREFIX.length()).split("#", -1);
    return parts.length == 2 ? Optional.of(new PagerKey(parts[0], parts[1])) : Optional.empty();
  }
}
