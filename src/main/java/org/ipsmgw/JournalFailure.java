package org.ipsmgw;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;

/**
 * What an entity does when the journal refuses a write: it stops, and is started again with
 * back-off, replaying what the journal holds. Nothing unpersisted was acknowledged (replies and
 * effects come after persist), so the peer's retry finds a consistent entity; the back-off keeps a
 * failing database from being hammered by every entity at once.
 */
public final class JournalFailure {
  private static final Duration MIN = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(5);
  private static final double RANDOM_FACTOR = 0.1;

  private JournalFailure() {}

  public static BackoffSupervisorStrategy restart() {
    return SupervisorStrategy.restartWithBackoff(MIN, MAX, RANDOM_FACTOR);
  }
}
