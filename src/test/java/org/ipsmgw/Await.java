package org.ipsmgw;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition on a peer's or node's state, failing with what it waited for. */
public final class Await {
  private static final long POLL_MILLIS = 20;

  private Await() {}

  public static void until(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      synchronized (monitor) {
        monitor.wait(POLL_MILLIS);
      }
    }
  }
}
