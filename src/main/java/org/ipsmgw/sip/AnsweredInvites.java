package org.ipsmgw.sip;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's INVITEs this node saw a 2xx to, for as long as the CPM side may resend that 2xx
 * (64·T1, RFC 3261 §13.3.1.4). A resent 2xx gets its ACK along the same route set with the same
 * identifiers: a 2xx to a re-INVITE brings no Record-Route of its own (a proxy such as Kamailio
 * record-routes the dialog's first INVITE only), so without this its ACK would skip the proxy
 * and go straight to a Contact the gateway may not reach. Entries older than the window go on
 * every remember, so the map holds at most one window's worth of answers.
 */
final class AnsweredInvites {
  private record Answered(PendingInvite.Sent invite, long atNanos) {}

  private final Map<String, Answered> byCallId = new ConcurrentHashMap<>();
  private final long windowNanos;
  private final LongSupplier nanos;

  AnsweredInvites(Duration window, LongSupplier nanos) {
    this.windowNanos = window.toNanos();
    this.nanos = nanos;
  }

  void remember(String callId, PendingInvite.Sent invite) {
    long now = nanos.getAsLong();
    byCallId.values().removeIf(a -> now - a.atNanos() > windowNanos);
    byCallId.put(callId, new Answered(invite, now));
  }

  /** The INVITE a resent 2xx answers, while the window lasts. */
  Optional<PendingInvite.Sent> of(String callId) {
    Answered a = byCallId.get(callId);
    if (a == null || nanos.getAsLong() - a.atNanos() > windowNanos) {
      return Optional.empty();
    }
    return Optional.of(a.invite());
  }

  int size() {
    return byCallId.size();
  }
}
