package org.ipsmgw.sms;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Items that callers write at the same time go in one transaction: the caller that finds no
 * write under way writes every item waiting (at most {@code maxBatch}, in the order they came)
 * and the others wait for it. Each caller returns once its own item is committed, as if it had
 * written alone, so its answer still follows the write; a commit that reaches the file on every
 * call (H2 with {@code WRITE_DELAY=0}, PostgreSQL's fsync) is paid once per batch instead of once
 * per item. A batch that fails is written again item by item by each item's caller, so one bad
 * item fails only its own caller and a database outage fails every caller as before.
 */
final class GroupCommit<T> {
  /** Writes a batch in one transaction, in order. */
  interface Writer<T> {
    void write(List<T> batch) throws SQLException;
  }

  private enum State { WAITING, WRITTEN, ALONE }

  private static final class Pending<T> {
    final T item;
    State state = State.WAITING;

    Pending(T item) {
      this.item = item;
    }
  }

  private final Writer<T> writer;
  private final int maxBatch;
  private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
  private boolean writing;

  GroupCommit(Writer<T> writer, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch " + maxBatch + " < 1");
    }
    this.writer = writer;
    this.maxBatch = maxBatch;
  }

  /** Returns once {@code item} is committed; throws what its own write threw. */
  void write(T item) throws SQLException {
    Pending<T> mine = new Pending<>(item);
    synchronized (this) {
      queue.add(mine);
    }
    while (true) {
      List<Pending<T>> batch;
      synchronized (this) {
        while (writing && mine.state == State.WAITING) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Still queued, so a later batch writes it; only the wait for the outcome ends.
            throw new SQLException("interrupted while waiting for its write", e);
          }
        }
        if (mine.state == State.WRITTEN) {
          return;
        }
        if (mine.state == State.ALONE) {
          break;
        }
        writing = true;
        batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
      }
      try {
        writer.write(batch.stream().map(p -> p.item).toList());
      } catch (SQLException | RuntimeException e) {
        finish(batch, State.ALONE);
        if (batch.size() == 1 && batch.get(0) == mine) {
          throw e;
        }
        continue;
      }
      finish(batch, State.WRITTEN);
    }
    writer.write(List.of(item));
  }

  /** Items waiting for a write (tests). */
  synchronized int queued() {
    return queue.size();
  }

  private synchronized void finish(List<Pending<T>> batch, State outcome) {
    for (Pending<T> p : batch) {
      p.state = outcome;
    }
    writing = false;
    notifyAll();
  }
}
