package org.ipsmgw;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.ipsmgw.policy.StrictDuration;
import scala.concurrent.ExecutionContextExecutor;

/**
 * An edge's ask of a sharded entity that is given to it again while unanswered. Sharding
 * delivers at most once: a message that reaches a region between a shard's BeginHandOff and its
 * HandOff (a rebalance, a graceful leave) is dropped "to avoid re-ordering", and a single ask of
 * it ends only at its deadline, as an error to the peer. Here a copy goes every
 * {@code resendAfter} until the deadline; every copy ends at that same deadline and the first
 * answer of any copy is the answer, so a slow entity still answers its first copy. Only for a
 * command its entity takes once however often it comes (keyed by an id the peer gave).
 */
public final class ResentAsk<T, R> {
  /** A copy is one tell: it goes on the scheduler's thread. */
  private static final ExecutionContextExecutor ON_SCHEDULER =
      ExecutionContexts.fromExecutor(Runnable::run);

  private final RecipientRef<T> target;
  private final Function<ActorRef<R>, T> message;
  private final Duration resendAfter;
  private final Duration deadline;
  private final long end;
  private final Scheduler scheduler;
  private final Runnable onResend;
  private final CompletableFuture<R> answer = new CompletableFuture<>();
  /** Only the ask's own thread, then the scheduler's one copy at a time, touch it. */
  private volatile int copies;

  private ResentAsk(RecipientRef<T> target, Function<ActorRef<R>, T> message,
      Duration resendAfter, Duration deadline, Scheduler scheduler, Runnable onResend) {
    this.target = target;
    this.message = message;
    this.resendAfter = resendAfter;
    this.deadline = deadline;
    this.end = System.nanoTime() + deadline.toNanos();
    this.scheduler = scheduler;
    this.onResend = onResend;
  }

  /**
   * @param resendAfter time between copies; zero: one copy only, a plain ask
   * @param deadline from now, when the ask fails with a {@link TimeoutException}
   * @param onResend told of each copy after the first, before it goes (a counter)
   */
  public static <T, R> CompletionStage<R> ask(RecipientRef<T> target,
      Function<ActorRef<R>, T> message, Duration resendAfter, Duration deadline,
      Scheduler scheduler, Runnable onResend) {
    ResentAsk<T, R> ask = new ResentAsk<>(target, message, resendAfter, deadline, scheduler,
        onResend);
    ask.send(deadline);
    if (!resendAfter.isZero() && resendAfter.compareTo(deadline) < 0) {
      ask.scheduleCopy();
    }
    return ask.answer;
  }

  /**
   * An edge's {@code resend-after} ({@code <edge>.resend-after}): 0s (never) or shorter than
   * the {@code deadline} it is given ({@code <edge>.entity-timeout}), since a copy at or after
   * it would only be answered to nobody.
   *
   * @param edge the edge's section, e.g. the config at {@code ipsmgw.msrp}
   * @param path that section's path, for the message
   */
  public static Duration resendAfter(Config edge, String path, Duration deadline) {
    Duration every = StrictDuration.read(edge, "resend-after", path + ".resend-after");
    if (every.isNegative() || (!every.isZero() && every.compareTo(deadline) >= 0)) {
      throw new ConfigException.BadValue(edge.origin(), path + ".resend-after", "'"
          + edge.getString("resend-after") + "' must be 0s (never) or shorter than "
          + path + ".entity-timeout = " + edge.getString("entity-timeout"));
    }
    return every;
  }

  private void scheduleCopy() {
    org.apache.pekko.actor.Cancellable next = scheduler.scheduleOnce(resendAfter, () -> {
      Duration left = Duration.ofNanos(end - System.nanoTime());
      if (answer.isDone() || left.isNegative() || left.isZero()) {
        return;
      }
      onResend.run();
      send(left);
      if (left.compareTo(resendAfter) > 0) {
        scheduleCopy();
      }
    }, ON_SCHEDULER);
    answer.whenComplete((r, f) -> next.cancel());
  }

  /** One copy; the first copy's end (at the deadline) fails the ask unless a copy answered. */
  private void send(Duration timeout) {
    boolean first = copies++ == 0;
    AskPattern.ask(target, message::apply, timeout, scheduler).whenComplete((reply, failure) -> {
      if (failure == null) {
        answer.complete(reply);
      } else if (first) {
        int sent = copies;
        answer.completeExceptionally(new TimeoutException("no answer within "
            + deadline.toMillis() + " ms to " + sent + " cop" + (sent == 1 ? "y" : "ies")));
      }
    });
  }
}
