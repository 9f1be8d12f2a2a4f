package org.ipsmgw;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/**
 * What an event-sourced entity does when the journal refuses a write: restart with back-off. A
 * failed write stops the entity (its memory may now hold what the journal does not); restarting it
 * replays from the journal, and since every reply and side effect waits for its write, nothing
 * unpersisted was acknowledged: the peer's retry (SMSC resend, SIP retransmission, the sender's
 * next try) meets the entity as the journal has it. Messages that arrive meanwhile wait for the
 * restart. The back-off keeps a struggling database from being hit by every entity at once; it
 * stops at 2 s so a chat serves again within about that of the database's return (while the
 * database is away, the journal's circuit breaker fails the attempts without touching it).
 */
public final class JournalFailure {
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final double RANDOM_FACTOR = 0.1;

  private JournalFailure() {}

  /** The {@code onPersistFailure} strategy of every entity: 200 ms doubling to 2 s, ±10 %. */
  public static BackoffSupervisorStrategy restart() {
    return SupervisorStrategy.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, RANDOM_FACTOR);
  }
}
