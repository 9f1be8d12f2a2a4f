package org.ipsmgw.sip;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The INVITEs this node holds until their final response, one per Call-ID: the CPM side's it
 * received, and the gateway's own. Every final response and every timeout removes its entry, so
 * nothing stays behind a call that ended.
 */
final class PendingInvites {
  private final Map<String, PendingInvite> byCallId = new ConcurrentHashMap<>();

  void addReceived(String callId, PendingInvite.Received invite) {
    byCallId.put(callId, invite);
  }

  /** The CPM side's INVITE of that call, still unanswered on this node. */
  Optional<PendingInvite.Received> received(String callId) {
    return byCallId.get(callId) instanceof PendingInvite.Received r ? Optional.of(r)
        : Optional.empty();
  }

  /** Its final response goes out (or no chat took it): the entry is gone. */
  Optional<PendingInvite.Received> answered(String callId) {
    Optional<PendingInvite.Received> r = received(callId);
    r.ifPresent(invite -> byCallId.remove(callId, invite));
    return r;
  }

  void addSent(String callId, PendingInvite.Sent invite) {
    byCallId.put(callId, invite);
  }

  /**
   * The chat cancels its first INVITE: the entry stays, marked, until the final response.
   *
   * @return the INVITE to CANCEL; empty when it was answered or cancelled already
   */
  Optional<PendingInvite.Sent> cancel(String callId) {
    PendingInvite.Sent[] cancelled = {null};
    byCallId.computeIfPresent(callId, (k, p) -> {
      if (p instanceof PendingInvite.Sent s && s.first() && !s.cancelled()) {
        cancelled[0] = s;
        return s.cancel();
      }
      return p;
    });
    return Optional.ofNullable(cancelled[0]);
  }

  /** A final response to the gateway's INVITE, or its timeout: the entry is gone. */
  Optional<PendingInvite.Sent> ended(String callId) {
    PendingInvite.Sent[] ended = {null};
    byCallId.computeIfPresent(callId, (k, p) -> {
      if (p instanceof PendingInvite.Sent s) {
        ended[0] = s;
        return null;
      }
      return p;
    });
    return Optional.ofNullable(ended[0]);
  }

  /** How many INVITEs this node holds: what a leak would make grow. */
  int size() {
    return byCallId.size();
  }
}
