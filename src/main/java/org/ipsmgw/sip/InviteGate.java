package org.ipsmgw.sip;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many new INVITEs this node has handed to their chats and not yet seen stored. Past the
 * limit a new INVITE is refused at once (503 with Retry-After) instead of queueing behind the
 * others: on a saturated node a queued INVITE is answered after its caller gave up, and the
 * node still spends the set-up on it. A refused INVITE never reaches a chat, so no chat can
 * accept it after its 503 (the hazard {@code invite-timeout} guards against).
 */
final class InviteGate {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** @param limit INVITEs let in at once; 0 lets every one in */
  InviteGate(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 (none) or more, got " + limit);
    }
    this.limit = limit;
  }

  /** @return true if the INVITE may go to its chat; then {@link #leave} once it answered */
  boolean tryEnter() {
    int now;
    do {
      now = inFlight.get();
      if (limit > 0 && now >= limit) {
        return false;
      }
    } while (!inFlight.compareAndSet(now, now + 1));
    return true;
  }

  void leave() {
    inFlight.decrementAndGet();
  }

  int limit() {
    return limit;
  }

  int inFlight() {
    return inFlight.get();
  }
}
