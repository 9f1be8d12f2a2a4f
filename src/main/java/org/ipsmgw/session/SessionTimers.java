package org.ipsmgw.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.ipsmgw.session.ChatSessionCommand.AckDeadline;
import org.ipsmgw.session.ChatSessionCommand.IdleCheck;
import org.ipsmgw.session.ChatSessionCommand.RefreshProvisional;
import org.ipsmgw.session.ChatSessionCommand.ReplyWindowElapsed;

/**
 * A chat's timers, each armed from a persisted deadline, so the same call re-arms them after
 * recovery on whatever node.
 */
final class SessionTimers {
  private static final String REPLY_WINDOW = "reply-window";
  private static final String PROVISIONAL = "provisional";
  private static final String IDLE = "idle";
  private static final String ACK = "ack";
  private static final String RETRY_WINDOW = "retry-window";
  /**
   * How long after a 503 the same INVITE may come again: its client transaction's life (Timer B,
   * 64·T1 with T1 500 ms); the SIP front's failure route sends it on within a second or two.
   */
  private static final Duration INVITE_LIFE = Duration.ofSeconds(32);

  private final TimerScheduler<ChatSessionCommand> timers;
  private final Clock clock;

  SessionTimers(TimerScheduler<ChatSessionCommand> timers, Clock clock) {
    this.timers = timers;
    this.clock = clock;
  }

  /** The reply window's end, and the 180 repeated while the invitation SMS waits. */
  void armAwaiting(AwaitingReply state, Duration provisionalRefresh) {
    timers.startSingleTimer(REPLY_WINDOW, ReplyWindowElapsed.INSTANCE,
        until(state.replyDeadline()));
    timers.startTimerWithFixedDelay(PROVISIONAL, RefreshProvisional.INSTANCE, provisionalRefresh);
  }

  void armIdle(Active state, Duration idleTimeout) {
    timers.startSingleTimer(IDLE, IdleCheck.INSTANCE,
        until(state.lastActivity().plus(idleTimeout)));
  }

  /** Ends the chat at its ACK deadline unless the ACK comes first (RFC 3261 §13.3.1.4). */
  void armAck(Active state) {
    if (state.awaitingAck()) {
      timers.startSingleTimer(ACK, AckDeadline.INSTANCE, until(state.ackDeadline()));
    }
  }

  /** A 503-refused chat stops once its INVITE can no longer come again. */
  void armRetryWindow(Ended state) {
    timers.startSingleTimer(RETRY_WINDOW, ChatSessionCommand.RetryWindowOver.INSTANCE,
        until(state.at().plus(INVITE_LIFE)));
  }

  void ackArrived() {
    timers.cancel(ACK);
  }

  /** The session's own timers; a stop's wait (HandOff) keeps running. */
  void cancelAll() {
    for (String key : List.of(REPLY_WINDOW, PROVISIONAL, IDLE, ACK, RETRY_WINDOW)) {
      timers.cancel(key);
    }
  }

  private Duration until(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
