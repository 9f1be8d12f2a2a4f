package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callers blocked behind a write under way go together in the next transaction, in the order
 * they came; each returns only once its own item is written; a failed batch is written again
 * item by item, so only the bad item's caller sees the failure.
 */
class GroupCommitTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<List<String>> written = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    callers.shutdownNow();
    assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** A writer whose first batch waits for {@code release}. */
  private GroupCommit<String> heldFirst(CountDownLatch entered, CountDownLatch release,
      String bad, int maxBatch) {
    return new GroupCommit<>(batch -> {
      if (written.isEmpty() && entered.getCount() > 0) {
        entered.countDown();
        await(release);
      }
      if (batch.contains(bad)) {
        throw new SQLException("bad item " + bad);
      }
      written.add(batch);
    }, maxBatch);
  }

  private CompletableFuture<Void> call(GroupCommit<String> group, String item) {
    return CompletableFuture.runAsync(() -> {
      try {
        group.write(item);
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, callers);
  }

  /** Starts "a", whose write is held, then each of {@code behind}, each queued before the next. */
  private List<CompletableFuture<Void>> behindAHeldWrite(GroupCommit<String> group,
      CountDownLatch entered, List<String> behind) throws Exception {
    List<CompletableFuture<Void>> calls = new ArrayList<>(List.of(call(group, "a")));
    assertTrue(entered.await(10, TimeUnit.SECONDS), "the first write under way");
    for (String item : behind) {
      calls.add(call(group, item));
      int queued = calls.size() - 1;
      Await.until(() -> group.queued() == queued, WAIT, item + " queued");
    }
    return calls;
  }

  private static void allReturn(List<CompletableFuture<Void>> calls) throws Exception {
    for (CompletableFuture<Void> f : calls) {
      f.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void callersWaitingBehindAWriteGoInOneTransactionInTheOrderTheyCame() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<String> group = heldFirst(entered, release, null, 100);
    List<CompletableFuture<Void>> calls = behindAHeldWrite(group, entered, List.of("b", "c", "d"));
    assertTrue(calls.stream().noneMatch(CompletableFuture::isDone),
        "no caller returns before its write is committed");

    release.countDown();
    allReturn(calls);
    assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), written);
    assertEquals(2, written.size(), "two transactions");
  }

  @Test
  void aBatchIsNoLargerThanItsMaximum() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<String> group = heldFirst(entered, release, null, 2);
    List<CompletableFuture<Void>> calls =
        behindAHeldWrite(group, entered, List.of("b", "c", "d", "e", "f"));
    release.countDown();
    allReturn(calls);
    assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d", "e"), List.of("f")),
        written);
  }

  @Test
  void aFailedBatchIsWrittenAgainItemByItemAndOnlyTheBadItemFails() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<String> group = heldFirst(entered, release, "bad", 100);
    List<CompletableFuture<Void>> calls =
        behindAHeldWrite(group, entered, List.of("b", "bad", "c"));

    release.countDown();
    allReturn(List.of(calls.get(0), calls.get(1), calls.get(3)));
    CompletableFuture<Void> bad = calls.get(2);
    Exception failure = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
    assertTrue(failure.getMessage().contains("bad item bad"), failure.getMessage());
    assertEquals(List.of("a", "b", "c"), written.stream().flatMap(List::stream).sorted().toList(),
        "every good item written once");
    assertTrue(written.stream().skip(1).allMatch(batch -> batch.size() == 1),
        "after the failed batch, one item per transaction: " + written);
  }

  @Test
  void aCallerAloneWritesAtOnceAndGetsItsOwnFailure() throws Exception {
    GroupCommit<String> group = new GroupCommit<>(batch -> {
      if (batch.contains("bad")) {
        throw new SQLException("database away");
      }
      written.add(batch);
    }, 100);
    group.write("x");
    SQLException e = assertThrows(SQLException.class, () -> group.write("bad"));
    assertEquals("database away", e.getMessage());
    group.write("y");
    assertEquals(List.of(List.of("x"), List.of("y")), written);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
