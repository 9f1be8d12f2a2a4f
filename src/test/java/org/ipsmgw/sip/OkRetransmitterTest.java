package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The resend schedule of a 2xx over UDP (RFC 3261 §13.3.1.4), on a clock the test turns. */
class OkRetransmitterTest {

  /** A timer whose time moves only when the test runs its next task. */
  private static final class ManualTimer implements OkRetransmitter.Timer {
    private record Task(long at, long seq, Runnable run, CompletableFuture<Void> future) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at() != b.at()
        ? Long.compare(a.at(), b.at()) : Long.compare(a.seq(), b.seq()));
    private long now;
    private long seq;

    @Override
    public Future<?> after(long millis, Runnable task) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      tasks.add(new Task(now + millis, seq++, task, f));
      return f;
    }

    /** Runs every task due until the queue is empty (or only cancelled ones are left). */
    void runAll() {
      while (!tasks.isEmpty()) {
        Task t = tasks.poll();
        if (!t.future().isCancelled()) {
          now = t.at();
          t.run().run();
        }
      }
    }

    /** Runs the tasks due up to {@code until}. */
    void runUntil(long until) {
      while (!tasks.isEmpty() && tasks.peek().at() <= until) {
        Task t = tasks.poll();
        if (!t.future().isCancelled()) {
          now = t.at();
          t.run().run();
        }
      }
      now = until;
    }
  }

  private static List<Long> schedule(Duration t1, Duration t2) {
    ManualTimer timer = new ManualTimer();
    OkRetransmitter r = new OkRetransmitter(t1, t2, timer);
    List<Long> sent = new ArrayList<>();
    r.start("call-1", () -> sent.add(timer.now));
    timer.runAll();
    assertFalse(r.resending("call-1"), "given up after 64·T1");
    return sent;
  }

  @Test
  void resentAtT1ThenDoublingUpToT2UntilSixtyFourT1() {
    assertEquals(List.of(500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L,
        31500L), schedule(Duration.ofMillis(500), Duration.ofSeconds(4)));
  }

  @Test
  void aShorterT2CapsTheIntervalsSooner() {
    assertEquals(List.of(500L, 1500L, 3500L, 5500L, 7500L, 9500L, 11500L, 13500L, 15500L,
        17500L, 19500L, 21500L, 23500L, 25500L, 27500L, 29500L, 31500L),
        schedule(Duration.ofMillis(500), Duration.ofSeconds(2)));
  }

  @Test
  void t2EqualToT1ResendsAtEveryT1() {
    List<Long> sent = schedule(Duration.ofMillis(50), Duration.ofMillis(50));
    assertEquals(64, sent.size());
    assertEquals(50L, sent.get(0));
    assertEquals(3200L, sent.get(63));
  }

  @Test
  void theAckStopsTheResending() {
    ManualTimer timer = new ManualTimer();
    OkRetransmitter r = new OkRetransmitter(Duration.ofMillis(500), Duration.ofSeconds(4),
        timer);
    List<Long> sent = new ArrayList<>();
    r.start("call-2", () -> sent.add(timer.now));
    timer.runUntil(4000);
    assertTrue(r.resending("call-2"));
    r.stop("call-2");
    timer.runAll();
    assertEquals(List.of(500L, 1500L, 3500L), sent);
    assertFalse(r.resending("call-2"));
  }

  @Test
  void aNewOkOfTheSameCallReplacesTheOneBeingResent() {
    ManualTimer timer = new ManualTimer();
    OkRetransmitter r = new OkRetransmitter(Duration.ofMillis(500), Duration.ofSeconds(4),
        timer);
    List<String> sent = new ArrayList<>();
    r.start("call-3", () -> sent.add("first@" + timer.now));
    timer.runUntil(1000);
    r.start("call-3", () -> sent.add("second@" + timer.now));
    timer.runUntil(2600);
    r.stop("call-3");
    timer.runAll();
    assertEquals(List.of("first@500", "second@1500", "second@2500"), sent);
  }

  @Test
  void aFailedResendDoesNotEndTheSchedule() {
    ManualTimer timer = new ManualTimer();
    OkRetransmitter r = new OkRetransmitter(Duration.ofMillis(500), Duration.ofSeconds(4),
        timer);
    List<Long> tried = new ArrayList<>();
    r.start("call-4", () -> {
      tried.add(timer.now);
      throw new javax.sip.SipException("no route");
    });
    timer.runUntil(1600);
    assertEquals(List.of(500L, 1500L), tried);
    r.close();
  }
}
