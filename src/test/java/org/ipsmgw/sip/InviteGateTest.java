package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InviteGateTest {
  @Test
  void letsInUpToTheLimitAndOneMoreOnceOneLeft() {
    InviteGate gate = new InviteGate(2);
    assertTrue(gate.tryEnter());
    assertTrue(gate.tryEnter());
    assertFalse(gate.tryEnter(), "a third while two are in flight");
    assertEquals(2, gate.inFlight(), "a refused one is not counted");
    gate.leave();
    assertTrue(gate.tryEnter());
    assertEquals(2, gate.inFlight());
  }

  @Test
  void zeroLetsEveryOneInAndStillCounts() {
    InviteGate gate = new InviteGate(0);
    for (int i = 0; i < 1000; i++) {
      assertTrue(gate.tryEnter());
    }
    assertEquals(1000, gate.inFlight());
  }

  @Test
  void aNegativeLimitIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new InviteGate(-1));
  }

  @Test
  void manyThreadsAtOnceNeverGetMoreThanTheLimitIn() throws Exception {
    InviteGate gate = new InviteGate(5);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger admitted = new AtomicInteger();
    try {
      for (int i = 0; i < 200; i++) {
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          if (gate.tryEnter()) {
            admitted.incrementAndGet();
          }
        });
      }
      start.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(5, admitted.get(), "none leave, so exactly the limit got in");
    assertEquals(5, gate.inFlight());
  }
}
