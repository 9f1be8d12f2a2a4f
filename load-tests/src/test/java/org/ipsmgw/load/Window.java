package org.ipsmgw.load;

import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code size} exchanges of one chat in flight: the user goes on at once while there is
 * room, else its continuation is parked until an answer frees a slot. {@link #whenIdle} runs once
 * nothing is in flight.
 */
final class Window {
  private final int size;
  private int inFlight;
  private Runnable parked;
  private final List<Runnable> idle = new ArrayList<>();

  Window(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + size);
    }
    this.size = size;
  }

  /** One more is in flight; {@code next} runs now if there is still room, else on a release. */
  void opened(Runnable next) {
    boolean now;
    synchronized (this) {
      inFlight++;
      now = inFlight < size;
      if (!now) {
        parked = next;
      }
    }
    if (now) {
      next.run();
    }
  }

  /** One in flight got its answer (or gave up). */
  void closed() {
    Runnable resume = null;
    List<Runnable> ready = List.of();
    synchronized (this) {
      inFlight--;
      if (parked != null && inFlight < size) {
        resume = parked;
        parked = null;
      }
      if (inFlight == 0 && !idle.isEmpty()) {
        ready = new ArrayList<>(idle);
        idle.clear();
      }
    }
    if (resume != null) {
      resume.run();
    }
    ready.forEach(Runnable::run);
  }

  void whenIdle(Runnable r) {
    boolean now;
    synchronized (this) {
      now = inFlight == 0;
      if (!now) {
        idle.add(r);
      }
    }
    if (now) {
      r.run();
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
