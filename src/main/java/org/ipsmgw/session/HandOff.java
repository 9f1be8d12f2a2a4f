package org.ipsmgw.session;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A chat's SMS given to the SMPP edge by this incarnation and not yet answered (memory only), and
 * what waits for those answers. An incarnation that stopped while the SMSC was taking one of its
 * SMS would leave it pending in the journal, and the one that takes over would submit it again;
 * so a stop sharding asks for waits for those answers, up to {@code wait}. (An ended chat does
 * not wait: nothing it left pending is submitted again.)
 */
final class HandOff {
  private static final String TIMER = "hand-off";
  private final Set<String> unanswered = new HashSet<>();
  private final ActorRef<ChatSessionCommand> self;
  private final TimerScheduler<ChatSessionCommand> timers;
  private final Duration wait;
  private final org.ipsmgw.EntityLog log;
  /** What runs once the answers are in or the wait is over; null: nothing waits. */
  private Runnable settled;

  HandOff(ActorRef<ChatSessionCommand> self, TimerScheduler<ChatSessionCommand> timers,
      Duration wait, org.ipsmgw.EntityLog log) {
    this.self = self;
    this.timers = timers;
    this.wait = wait;
    this.log = log;
  }

  void submitted(String ref) {
    unanswered.add(ref);
  }

  /**
   * The edge answered for {@code ref} (submitted, failed or held). When that was the last answer
   * something waited for, it runs now: a stop's StopNow is stashed behind the write this answer
   * makes, so the chat stops after it is persisted.
   */
  void answered(String ref) {
    if (unanswered.remove(ref) && unanswered.isEmpty()) {
      runSettled();
    }
  }

  /** Sharding asks the chat to stop: true when it may stop now; else StopNow comes (bounded). */
  boolean stopRequested() {
    if (unanswered.isEmpty()) {
      return true;
    }
    await(() -> self.tell(ChatSessionCommand.StopNow.INSTANCE));
    return false;
  }

  /** Timer: the wait is over; what waited runs, and the answers still missing are given up. */
  void waitOver() {
    if (!unanswered.isEmpty()) {
      log.warn("{} SMS still unanswered by the SMSC after {} s; the chat stops without their "
          + "answers, and a node taking over may submit them again", unanswered.size(),
          wait.toSeconds());
      unanswered.clear();
    }
    runSettled();
  }

  int unanswered() {
    return unanswered.size();
  }

  Duration waitLimit() {
    return wait;
  }

  private void await(Runnable then) {
    Runnable earlier = settled;
    settled = earlier == null ? then : () -> {
      earlier.run();
      then.run();
    };
    if (!timers.isTimerActive(TIMER)) {
      timers.startSingleTimer(TIMER, ChatSessionCommand.AnswersAwaited.INSTANCE, wait);
    }
  }

  private void runSettled() {
    timers.cancel(TIMER);
    Runnable r = settled;
    settled = null;
    if (r != null) {
      r.run();
    }
  }
}
