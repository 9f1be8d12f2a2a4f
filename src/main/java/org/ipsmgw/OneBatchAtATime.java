package org.ipsmgw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Items on their way to an entity that records them, one batch per entity at a time: an item
 * that comes while its entity is recording the batch before waits, and all that waited go
 * together next (at most {@code maxBatch}), so a burst costs the entity one journal write
 * instead of one each, and the entity sees the items in the order they came. Not thread-safe:
 * an actor's own state, or guarded by its user.
 */
public final class OneBatchAtATime<K, T> {
  private final int maxBatch;
  /** Per entity with a batch out: what waits behind it; absent when none is out. */
  private final Map<K, List<T>> waiting = new HashMap<>();

  public OneBatchAtATime(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch " + maxBatch + " < 1");
    }
    this.maxBatch = maxBatch;
  }

  /** The batch to send {@code key} now ({@code item} alone), or empty when {@code item} waits. */
  public List<T> offer(K key, T item) {
    List<T> behind = waiting.get(key);
    if (behind != null) {
      behind.add(item);
      return List.of();
    }
    waiting.put(key, new ArrayList<>());
    return List.of(item);
  }

  /** {@code key} answered its batch: the next one, or empty (then none is out any more). */
  public List<T> answered(K key) {
    List<T> behind = waiting.get(key);
    if (behind == null || behind.isEmpty()) {
      waiting.remove(key);
      return List.of();
    }
    List<T> next = new ArrayList<>(behind.subList(0, Math.min(maxBatch, behind.size())));
    behind.subList(0, next.size()).clear();
    return next;
  }
}
