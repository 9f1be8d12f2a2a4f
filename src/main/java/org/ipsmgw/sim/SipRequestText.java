package org.ipsmgw.sim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ipsmgw.RandomIds;

/**
 * The CPM client's requests as SIP text, which the RI's message factory parses: the start line
 * and the headers every request carries (a fresh Via branch each), then extra header lines and a
 * body with its Content-Type and Content-Length.
 */
final class SipRequestText {
  private final StringBuilder text = new StringBuilder();

  private SipRequestText() {}

  /**
   * @param transport "tcp" or "udp", named in the Via
   * @param sentBy host:port of this client, for the Via
   */
  static SipRequestText start(String method, String uri, String transport, String sentBy,
      String callId, String from, String to, long seq) {
    SipRequestText t = new SipRequestText();
    t.text.append(method).append(' ').append(uri).append(" SIP/2.0\r\n")
        .append("Via: SIP/2.0/").append(transport.toUpperCase(Locale.ROOT))
        .append(' ').append(sentBy)
        .append(";branch=z9hG4bK").append(RandomIds.token()).append("\r\n")
        .append("Max-Forwards: 70\r\n")
        .append("From: ").append(from).append("\r\n")
        .append("To: ").append(to).append("\r\n")
        .append("Call-ID: ").append(callId).append("\r\n")
        .append("CSeq: ").append(seq).append(' ').append(method).append("\r\n");
    return t;
  }

  SipRequestText header(String name, String value) {
    text.append(name).append(": ").append(value).append("\r\n");
    return this;
  }

  /** Header lines as given ("Name: value\r\n" each), or nothing for null. */
  SipRequestText lines(String headerLines) {
    text.append(headerLines == null ? "" : headerLines);
    return this;
  }

  /** Ends the headers; a null body is none, with no Content-Type. */
  String body(String contentType, String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      header("Content-Type", contentType);
    }
    text.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    return text + (body == null ? "" : body);
  }
}
