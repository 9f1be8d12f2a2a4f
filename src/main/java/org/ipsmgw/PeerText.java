package org.ipsmgw;

import java.nio.charset.StandardCharsets;

/**
 * What a peer chose (a SIP header value, an MSRP id, a datagram) as it may appear in a log line:
 * printable ASCII as is, anything else as {@code \xNN}, cut after {@link #SHOWN_CHARS}
 * characters, so no peer can make a log line long or forge a second one.
 */
public final class PeerText {
  public static final int SHOWN_CHARS = 64;

  private PeerText() {}

  /** The first bytes of {@code message}, escaped, with "…" when cut. */
  public static String escapedStart(byte[] message) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < message.length && out.length() < SHOWN_CHARS; i++) {
      int b = message[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\' && b != '"') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02X", b));
      }
    }
    return i < message.length ? out.append('…').toString() : out.toString();
  }

  /** A peer-chosen token for a log line, escaped and cut short; null stays null. */
  public static String bounded(String peerText) {
    return peerText == null ? null
        : escapedStart(peerText.getBytes(StandardCharsets.UTF_8));
  }
}
