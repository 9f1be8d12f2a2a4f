package org.ipsmgw.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.message.Message;

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
}
