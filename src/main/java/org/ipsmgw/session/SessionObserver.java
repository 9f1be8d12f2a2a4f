package org.ipsmgw.session;

import java.time.Duration;

/**
 * What a node learns from its sessions for metrics. Called only for live changes, never while a
 * session replays its journal, so a recovered session is counted once and its past not again.
 */
public interface SessionObserver {
  /** Observes nothing (unit tests). */
  SessionObserver NONE = new SessionObserver() {};

  /** A session in {@code state} is now in this node's memory (started, recovered, or moved in). */
  default void entered(String state) {}

  /** A session in {@code state} left this node's memory or moved to another state. */
  default void left(String state) {}

  /** The invitation got its final answer ({@code outcome}: ACTIVE or an end state) after this long. */
  default void answered(String outcome, Duration sinceInvite) {}

  /** A session ended ({@code outcome}: REJECTED, EXPIRED, CANCELLED or CLOSED). */
  default void ended(String outcome) {}

  /** A chat message was accepted for translation. */
  default void message(Direction direction) {}

  /** A pager-mode (standalone) message was stored for translation. */
  default void pagerMessage(Direction direction) {}

  /** A chat came back from the journal in {@code state} (failover, hand-off, rebalance). */
  default void recovered(String state) {}

  /**
   * The chat re-INVITEs the CPM side with its MSRP path on this node ({@code reason}:
   * {@code recovered}, or {@code media_lost} when its MSRP connection's node went away).
   */
  default void reInvited(String reason) {}

  /** A chat's 200 to the INVITE never got its ACK: the chat ended (NO_ACK). */
  default void unacknowledged() {}
}
