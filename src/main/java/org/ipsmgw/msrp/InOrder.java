package org.ipsmgw.msrp;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps one after another per key: a step starts only once the key's previous
 * step has completed (normally or not). Different keys do not wait for each other, and a key with
 * nothing pending is forgotten.
 */
final class InOrder<K> {
  private static final CompletableFuture<Void> IDLE = CompletableFuture.completedFuture(null);

  private final Map<K, CompletableFuture<Void>> tails = new HashMap<>();

  /** Queues {@code step} behind the key's pending ones; completes when the step has. */
  CompletableFuture<Void> run(K key, Supplier<? extends CompletionStage<Void>> step) {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = tails.getOrDefault(key, IDLE)
          .thenCompose(ignored -> (CompletionStage<Void>) step.get())
          .handle((result, failure) -> (Void) null);
      tails.put(key, next);
    }
    next.whenComplete((ignored, failure) -> forget(key, next));
    return next;
  }

  private synchronized void forget(K key, CompletableFuture<Void> done) {
    tails.remove(key, done);
  }

  /** Keys with a step pending, for tests. */
  synchronized int pending() {
    return tails.size();
  }
}
