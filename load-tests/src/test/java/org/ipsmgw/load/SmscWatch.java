package org.ipsmgw.load;

import java.util.function.BiConsumer;

/**
 * Watches what reaches the SMSC: polls the simulator's {@code /submits} in its own thread (never
 * on Gatling's event loop) and hands each accepted submit, with the time it was first seen, to
 * the protocol. The poll period (at least {@code periodMs}, longer while a listing
 * takes longer) bounds how precisely "at the SMSC" is timed.
 */
final class SmscWatch implements AutoCloseable {
  private final SmscControl smsc;
  private final long periodMs;
  private final BiConsumer<SmscControl.Submit, Long> onArrival;
  private final Thread thread;
  private int next;
  private volatile boolean stopped;
  private volatile String lastError;

  SmscWatch(SmscControl smsc, long periodMs, BiConsumer<SmscControl.Submit, Long> onArrival) {
    this.smsc = smsc;
    this.periodMs = periodMs;
    this.onArrival = onArrival;
    try {
      this.next = smsc.submitCount();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the SMSC simulator's /status: " + e, e);
    }
    this.thread = new Thread(this::run, "smsc-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stopped) {
      try {
        long start = System.nanoTime();
        poll();
        // The simulator answers one HTTP request at a time and lists every submit each time:
        // leave it at least as long free for MO injections as the last listing took.
        long took = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(Math.max(periodMs, took));
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        lastError = e.toString();
      }
    }
  }

  /** Reads what arrived since the last poll; also called once more at the end of a run. */
  synchronized void poll() throws Exception {
    SmscControl.Page page = smsc.submits(next);
    long now = System.currentTimeMillis();
    for (SmscControl.Submit s : page.accepted()) {
      onArrival.accept(s, now);
    }
    next = page.size();
  }

  String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
