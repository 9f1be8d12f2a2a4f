package org.ipsmgw.cpim;

import java.util.Locale;

/** The media types the CPM side carries, and which of them may become SMS. */
public final class MessageTypes {
  public static final String CPIM = "message/cpim";
  public static final String TEXT = "text/plain";
  public static final String IS_COMPOSING = "application/im-iscomposing+xml";
  /** SMS over IP (TS 24.341): never to be taken for CPM content. */
  public static final String SMS_OVER_IP = "application/vnd.3gpp.sms";

  private MessageTypes() {}

  /** The media type without parameters, lower-cased. */
  public static String base(String contentType) {
    return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /** isComposing (RFC 3994) is consumed by the gateway and never becomes an SMS. */
  public static boolean isComposing(String contentType) {
    return base(contentType).equals(IS_COMPOSING);
  }

  /** Only text becomes SMS; IMDNs are answered, everything else is refused with 415. */
  public static boolean becomesSms(String contentType) {
    return base(contentType).equals(TEXT);
  }
}
