package org.ipsmgw.sip;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits one report per key and interval and counts the ones it held back. The keys are bounded:
 * a flood from spoofed UDP sources forgets the oldest windows rather than growing without end.
 */
final class OncePerInterval {
  private record Window(long startNanos, long suppressed) {}

  private final long intervalNanos;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  OncePerInterval(Duration interval, int maxKeys) {
    this.intervalNanos = interval.toNanos();
    this.maxKeys = maxKeys;
  }

  /** What a report adds about the ones {@link #admit} held back before it. */
  static String heldBack(long suppressed) {
    return suppressed > 0 ? "; " + suppressed + " more since the last report" : "";
  }

  /**
   * @return -1 when this report is held back, else how many were held back for the key since
   *     its last admitted one
   */
  long admit(String key) {
    long now = System.nanoTime();
    if (windows.size() >= maxKeys && !windows.containsKey(key)) {
      windows.values().removeIf(w -> now - w.startNanos() >= intervalNanos);
      if (windows.size() >= maxKeys) {
        windows.clear();
      }
    }
    long[] admitted = {-1};
    windows.compute(key, (k, w) -> {
      if (w == null || now - w.startNanos() >= intervalNanos) {
        admitted[0] = w == null ? 0 : w.suppressed();
        return new Window(now, 0);
      }
      return new Window(w.startNanos(), w.suppressed() + 1);
    });
    return admitted[0];
  }
}
