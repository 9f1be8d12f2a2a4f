package org.ipsmgw.sip;

import java.time.Duration;
import org.ipsmgw.PeerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway says about a message the RI could not take (unparsable, or without From, To,
 * Call-ID, CSeq or Via): every one is counted; one WARN line per source address and interval
 * names the source, the size and the first bytes, escaped and cut short. Never a body.
 */
final class MalformedRequests {
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
          transport, reason, message.length, PeerText.escapedStart(message),
          OncePerInterval.heldBack(suppressed));
    }
  }
}
