package org.ipsmgw.sms;

import java.util.List;
import org.jsmpp.session.SMPPSession;

/**
 * The binds of this node with a window of outstanding submit_sm each: a submit leases a slot on
 * an up bind (round robin) and gives it back when its response came, so a slow SMSC fills its
 * window instead of every thread of the node.
 */
final class BindPool {
  /** A slot on one bind, held for one submit_sm. */
  record Lease(SmscBind bind, SMPPSession session) {}

  private final List<SmscBind> binds;
  private final int window;
  private final int[] inFlight;
  private int next;

  BindPool(List<SmscBind> binds, int window) {
    this.binds = List.copyOf(binds);
    this.window = window;
    this.inFlight = new int[binds.size()];
  }

  /**
   * A slot on an up bind, waiting for one on the calling (worker) thread until
   * {@code deadlineNanos} (System.nanoTime): {@link #release} and {@link #changed} wake it.
   * Null when none came in time.
   */
  synchronized Lease acquire(long deadlineNanos) throws InterruptedException {
    while (true) {
      for (int i = 0; i < binds.size(); i++) {
        int at = (next + i) % binds.size();
        SMPPSession session = binds.get(at).session();
        if (session != null && inFlight[at] < window) {
          inFlight[at]++;
          next = at + 1;
          return new Lease(binds.get(at), session);
        }
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized void release(Lease lease) {
    inFlight[binds.indexOf(lease.bind())]--;
    notifyAll();
  }

  /** A bind came up or went down: waiting submits look again. */
  synchronized void changed() {
    notifyAll();
  }

  synchronized int upCount() {
    return (int) binds.stream().filter(SmscBind::isUp).count();
  }

  int size() {
    return binds.size();
  }

  int window() {
    return window;
  }

  /** Slots of bind {@code at} (0-based) held now. */
  synchronized int inFlight(int at) {
    return inFlight[at];
  }
}
