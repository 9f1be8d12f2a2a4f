package org.ipsmgw.sim;

import java.time.Instant;

/**
 * The CPIM a CPM client sends, as text: From and To as tel URIs, the time sent, and an IMDN
 * message id with the notifications asked for, around a text/plain UTF-8 body.
 */
public final class CpimText {
  private CpimText() {}

  /**
   * @param dispositions the imdn.Disposition-Notification value, e.g. "positive-delivery"
   */
  public static String of(String fromMsisdn, String toMsisdn, String imdnId,
      String dispositions, String text) {
    return "From: <tel:" + fromMsisdn + ">\r\nTo: <tel:" + toMsisdn + ">\r\n"
        + "DateTime: " + Instant.now() + "\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: " + imdnId + "\r\n"
        + "imdn.Disposition-Notification: " + dispositions + "\r\n\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n\r\n" + text;
  }
}
