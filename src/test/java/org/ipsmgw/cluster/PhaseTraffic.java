package org.ipsmgw.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One phase's pumps on the shared scheduler. {@link #stop} returns only once no tick is still
 * running: a tick caught in a slow attempt (an MO whose deliver_sm waits for its response) would
 * otherwise record its outcome after the settle step had looked for what to resend, and a
 * message refused at that moment would never be resent. A tick that throws is kept and reported
 * (the scheduler would silently end that pump).
 */
final class PhaseTraffic {
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> running = new ArrayList<>();
  private final ReentrantReadWriteLock ticking = new ReentrantReadWriteLock();
  private final List<String> broken = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  PhaseTraffic(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Runs {@code tick} every {@code everyMillis} until {@link #stop}. */
  void every(String pump, long firstMillis, long everyMillis, Runnable tick) {
    running.add(scheduler.scheduleWithFixedDelay(() -> run(pump, tick), firstMillis, everyMillis,
        TimeUnit.MILLISECONDS));
  }

  private void run(String pump, Runnable tick) {
    ticking.readLock().lock();
    try {
      if (!stopped) {
        tick.run();
      }
    } catch (RuntimeException | AssertionError e) {
      broken.add(pump + ": " + e);
    } finally {
      ticking.readLock().unlock();
    }
  }

  /** Cancels every pump and waits for the ticks under way to finish. */
  void stop() {
    stopped = true;
    running.forEach(f -> f.cancel(false));
    ticking.writeLock().lock();
    ticking.writeLock().unlock();
  }

  /** The pumps that threw, with what they threw. */
  List<String> broken() {
    return List.copyOf(broken);
  }
}
