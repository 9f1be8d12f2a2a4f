package org.ipsmgw;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.dispatch.ExecutionContexts;
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
public final class ResentAsk {
  /** A copy is one tell: it goes on the scheduler's thread. */
  private static final ExecutionContextExecutor ON_SCHEDULER =
      ExecutionContexts.fromExecutor(Runnable::run);

  private ResentAsk() {}

  /**
   * @param resendAfter time between copies; zero: one copy only, a plain ask
   * @param deadline from now, when the ask fails with a {@link TimeoutException}
   * @param onResend told of each copy after the first, before it goes (a counter)
   */
  public static <T, R> CompletionStage<R> ask(RecipientRef<T> target,
      Function<ActorRef<R>, T> message, Duration resendAfter, Duration deadline,
      Scheduler scheduler, Runnable onResend) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    long end = System.nanoTime() + deadline.toNanos();
    AtomicInteger copies = new AtomicInteger();
    send(target, message, deadline, scheduler, answer, copies, deadline);
    if (!resendAfter.isZero() && resendAfter.compareTo(deadline) < 0) {
      scheduleCopy(target, message, resendAfter, end, scheduler, answer, copies, onResend,
          deadline);
    }
    return answer;
  }

  private static <T, R> void scheduleCopy(RecipientRef<T> target,
      Function<ActorRef<R>, T> message, Duration resendAfter, long end, Scheduler scheduler,
      CompletableFuture<R> answer, AtomicInteger copies, Runnable onResend, Duration deadline) {
    org.apache.pekko.actor.Cancellable next = scheduler.scheduleOnce(resendAfter, () -> {
      Duration left = Duration.ofNanos(end - System.nanoTime());
      if (answer.isDone() || left.isNegative() || left.isZero()) {
        return;
      }
      onResend.run();
      send(target, message, left, scheduler, answer, copies, deadline);
      if (left.compareTo(resendAfter) > 0) {
        scheduleCopy(target, message, resendAfter, end, scheduler, answer, copies, onResend,
            deadline);
      }
    }, ON_SCHEDULER);
    answer.whenComplete((r, f) -> next.cancel());
  }

  /** One copy; the first copy's end (at the deadline) fails the ask unless a copy answered. */
  private static <T, R> void send(RecipientRef<T> target, Function<ActorRef<R>, T> message,
      Duration timeout, Scheduler scheduler, CompletableFuture<R> answer, AtomicInteger copies,
      Duration deadline) {
    boolean first = copies.getAndIncrement() == 0;
    AskPattern.ask(target, message::apply, timeout, scheduler).whenComplete((reply, failure) -> {
      if (failure == null) {
        answer.complete(reply);
      } else if (first) {
        answer.completeExceptionally(new TimeoutException("no answer within "
            + deadline.toMillis() + " ms to " + copies.get() + " cop"
            + (copies.get() == 1 ? "y" : "ies")));
      }
    });
  }
}
