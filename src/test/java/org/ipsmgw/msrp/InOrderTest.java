package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A key's steps run one after another, whatever order their futures complete in. */
class InOrderTest {
  @Test
  void aLaterStepWaitsForAnEarlierOneThatIsSlow() throws Exception {
    InOrder<String> inOrder = new InOrder<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> slow = new CompletableFuture<>();
    inOrder.run("chat", () -> {
      ran.add("first started");
      return slow.thenRun(() -> ran.add("first done"));
    });
    CompletableFuture<Void> second = inOrder.run("chat", () -> {
      ran.add("second");
      return CompletableFuture.completedFuture(null);
    });
    assertEquals(List.of("first started"), ran, "the second waits");
    slow.complete(null);
    second.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("first started", "first done", "second"), ran);
    assertEquals(0, inOrder.pending(), "a key with nothing pending is forgotten");
  }

  @Test
  void anotherKeyDoesNotWait() throws Exception {
    InOrder<String> inOrder = new InOrder<>();
    CompletableFuture<Void> never = new CompletableFuture<>();
    inOrder.run("stuck", () -> never);
    CompletableFuture<Void> other = inOrder.run("other", () ->
        CompletableFuture.completedFuture(null));
    other.get(5, TimeUnit.SECONDS);
    assertTrue(other.isDone());
    assertEquals(1, inOrder.pending());
  }

  @Test
  void aFailedOrThrowingStepDoesNotStopTheNextOne() throws Exception {
    InOrder<String> inOrder = new InOrder<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    inOrder.run("chat", () -> CompletableFuture.failedFuture(new IllegalStateException("x")));
    inOrder.run("chat", () -> {
      throw new IllegalStateException("thrown");
    });
    inOrder.run("chat", () -> {
      ran.add("third");
      return CompletableFuture.completedFuture(null);
    }).get(5, TimeUnit.SECONDS);
    assertEquals(List.of("third"), ran);
  }
}
