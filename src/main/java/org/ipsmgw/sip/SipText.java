package org.ipsmgw.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.message.Message;
import org.ipsmgw.PeerText;

/** Header values as text, the form the session stores them in. */
final class SipText {
  private SipText() {}

  /** The value of a header, without its name: {@code "Via: X"} → {@code "X"}. */
  static String value(Header h) {
    String s = h.toString().strip();
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(colon + 1).strip();
  }

  static String value(Message m, String name) {
    Header h = m.getHeader(name);
    return h == null ? null : value(h);
  }

  static List<String> values(Message m, String name) {
    List<String> out = new ArrayList<>();
    ListIterator<?> it = m.getHeaders(name);
    while (it.hasNext()) {
      out.add(value((Header) it.next()));
    }
    return out;
  }

  /** A dialog's route set from a response: its Record-Route values read backwards (UAC side). */
  static List<String> routeSet(Message response) {
    List<String> routes = values(response, "Record-Route");
    java.util.Collections.reverse(routes);
    return routes;
  }

  /** A peer-chosen token for a log line: escaped and cut short. */
  static String bounded(String peerText) {
    return PeerText.bounded(peerText);
  }

  /**
   * An exception for a log line: its class, and its text only when short and on one line. The
   * RI puts whole messages (bodies included) into some exception texts.
   */
  static String reason(Throwable t) {
    String text = t.getMessage();
    boolean shown = text != null && text.length() <= PeerText.SHOWN_CHARS
        && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return t.getClass().getSimpleName() + (shown ? ": " + text : "");
  }
}
