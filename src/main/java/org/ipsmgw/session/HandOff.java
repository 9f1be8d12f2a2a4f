package org.ipsmgw.session;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A chat's SMS given to the SMPP edge by this incarnation and not yet answered (memory only), and
 * whether a stop waits for them. An incarnation that stopped while the SMSC was taking one of its
 * SMS would leave it pending in the journal, and the one that takes over would submit it again;
 * so a stop sharding asks for waits for those answers, up to {@code wait}.
 */
final class HandOff {
  private static final String TIMER = "hand-off";
  private final Set<String> unanswered = new HashSet<>();
  private final ActorRef<ChatSessionCommand> self;
  private final TimerScheduler<ChatSessionCommand> timers;
  private final Duration wait;
  private boolean stopping;

  HandOff(ActorRef<ChatSessionCommand> self, TimerScheduler<ChatSessionCommand> timers,
      Duration wait) {
    this.self = self;
    this.timers = timers;
    this.wait = wait;
  }

  void submitted(String ref) {
    unanswered.add(ref);
  }

  /**
   * The edge answered for {@code ref} (submitted, failed or held). When that was the last answer
   * a stop waited for, StopNow follows; it is stashed behind the write this answer makes, so the
   * chat stops after it is persisted.
   */
  void answered(String ref) {
    if (unanswered.remove(ref) && unanswered.isEmpty() && stopping) {
      timers.cancel(TIMER);
      self.tell(ChatSessionCommand.StopNow.INSTANCE);
    }
  }

  /** Sharding asks the chat to stop: true when it may stop now; else StopNow comes (bounded). */
  boolean stopRequested() {
    if (unanswered.isEmpty()) {
      return true;
    }
    if (!stopping) {
      stopping = true;
      timers.startSingleTimer(TIMER, ChatSessionCommand.StopNow.INSTANCE, wait);
    }
    return false;
  }

  /** The SMS still unanswered (when StopNow came from the timer: those given up). */
  int unanswered() {
    return unanswered.size();
  }

  Duration waitLimit() {
    return wait;
  }
}
