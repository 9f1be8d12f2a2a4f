package org.ipsmgw.sip;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway says about a message the RI could not take (unparsable, or without From, To,
 * Call-ID, CSeq or Via): every one is counted; one WARN line per source address and interval
 * names the source, the size and the first bytes, escaped and cut short. Never a body.
 */
final class MalformedRequests {
  static final int SHOWN_CHARS = 64;
  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);
  private final SipMetrics metrics;
  private final OncePerInterval limiter;

  MalformedRequests(SipMetrics metrics, Duration interval) {
    this.metrics = metrics;
    this.limiter = new OncePerInterval(interval, 4096);
  }

  void report(String transport, String source, byte[] message, String reason) {
    metrics.malformed(transport);
    long suppressed = limiter.admit(source);
    if (suppressed >= 0) {
      LOG.warn("SIP message from {} over {} dropped: {}; {} bytes, starting \"{}\"{}", source,
          transport, reason, message.length, escapedStart(message),
          suppressed > 0 ? "; " + suppressed + " more from there since the last report" : "");
    }
  }

  /** Printable ASCII as is, anything else as \xNN, cut after {@link #SHOWN_CHARS} characters. */
  static String escapedStart(byte[] message) {
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
}
