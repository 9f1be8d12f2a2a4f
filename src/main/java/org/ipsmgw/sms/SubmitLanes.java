package org.ipsmgw.sms;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One FIFO lane per SMS thread toward the SMSC: at most one item of a lane is in flight (its head),
 * the later ones wait until it is done, whatever retries, throttling or reconnects that takes.
 * Lanes are independent, so a throttled thread holds up no other. SMPP does not keep the order of
 * submit_sm outstanding together (each may be retried, or answered out of order, on any bind), so
 * order is kept by never having two of one thread outstanding. Not thread-safe: its owner (the
 * gateway actor) is.
 *
 * @param <K> what identifies a thread, as the SMS user sees it (source and destination address)
 */
final class SubmitLanes<K, T> {
  private final Map<K, ArrayDeque<T>> lanes = new HashMap<>();
  private int queued;

  /** Queues {@code item} at the end of its lane; true when the lane was idle: start it now. */
  boolean add(K key, T item) {
    ArrayDeque<T> lane = lanes.computeIfAbsent(key, k -> new ArrayDeque<>());
    lane.addLast(item);
    queued++;
    return lane.size() == 1;
  }

  /**
   * The lane's item in flight is done (submitted or failed): the next one to start, or null when
   * the lane is empty, which then is forgotten.
   */
  T done(K key) {
    ArrayDeque<T> lane = lanes.get(key);
    if (lane == null || lane.isEmpty()) {
      throw new IllegalStateException("no item in flight on lane " + key);
    }
    lane.removeFirst();
    queued--;
    if (lane.isEmpty()) {
      lanes.remove(key);
      return null;
    }
    return lane.peekFirst();
  }

  /** Items queued or in flight, over every lane. */
  int size() {
    return queued;
  }

  /** Lanes with an item in flight. */
  int active() {
    return lanes.size();
  }
}
