package org.ipsmgw;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * An entity's SMS given to the SMPP edge by this incarnation and not yet answered (memory only),
 * and whether a stop waits for them. An incarnation that stopped while the SMSC was taking one of
 * its SMS would leave it pending in the journal, and the one that takes over would submit it
 * again; so a stop sharding asks for (hand-off, rebalance, passivation) waits for those answers,
 * up to {@code wait}. The edge answers the incarnation itself: sharding holds back every message
 * to an entity it is stopping.
 *
 * @param <C> the entity's command type
 */
public final class HandOff<C> {
  private static final String TIMER = "hand-off";
  private final Set<String> unanswered = new HashSet<>();
  private final ActorRef<C> self;
  private final TimerScheduler<C> timers;
  private final Duration wait;
  private final C stopNow;
  private boolean stopping;

  /** @param stopNow what the entity is told when it may stop, or its wait is over */
  public HandOff(ActorRef<C> self, TimerScheduler<C> timers, Duration wait, C stopNow) {
    this.self = self;
    this.timers = timers;
    this.wait = wait;
    this.stopNow = stopNow;
  }

  public void submitted(String ref) {
    unanswered.add(ref);
  }

  /**
   * The edge answered for {@code ref} (submitted, failed or held). When that was the last answer
   * a stop waited for, stopNow follows; it is stashed behind the write this answer makes, so the
   * entity stops after it is persisted.
   */
  public void answered(String ref) {
    if (unanswered.remove(ref) && unanswered.isEmpty() && stopping) {
      timers.cancel(TIMER);
      self.tell(stopNow);
    }
  }

  /** Sharding asks the entity to stop: true when it may stop now; else stopNow comes (bounded). */
  public boolean stopRequested() {
    if (unanswered.isEmpty()) {
      return true;
    }
    if (!stopping) {
      stopping = true;
      timers.startSingleTimer(TIMER, stopNow, wait);
    }
    return false;
  }

  /** The SMS still unanswered (when stopNow came from the timer: those given up). */
  public int unanswered() {
    return unanswered.size();
  }

  public Duration waitLimit() {
    return wait;
  }
}
