package org.ipsmgw.session;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import scala.collection.immutable.VectorMap;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A chat's messages in flight, by reference, in the order they were first tracked: an immutable
 * {@link java.util.Map} whose {@link #with} and {@link #without} share all but the changed entry
 * with the map before (Scala's persistent {@code VectorMap}, on the classpath with Pekko). A chat
 * derives a new {@link Translation} on every event; copying its whole map each time made the
 * cost of an event grow with the chat's length (messages that can still fail stay tracked until
 * a receipt that, for a delivered SMS asking failure receipts only, never comes). Serialized as
 * any map; a deserialized map is turned into one by {@link Translation}'s constructor, once.
 */
final class InFlight extends AbstractMap<String, MessageRecord> {
  static final InFlight EMPTY = new InFlight(
      scala.collection.immutable.VectorMap$.MODULE$.<String, MessageRecord>empty(), 0);

  private final VectorMap<String, MessageRecord> entries;
  /** A read-only view of {@code entries}, for iteration and look-ups. */
  private final Map<String, MessageRecord> view;
  /**
   * How many records {@link MessageRecord#awaitsFailureOnly}: kept as the map changes, because
   * a chat checks it at every SMS the SMSC accepts, and iterating a {@code VectorMap} looks
   * every key up again.
   */
  private final int awaitingFailureOnly;

  private InFlight(VectorMap<String, MessageRecord> entries, int awaitingFailureOnly) {
    this.entries = entries;
    this.view = CollectionConverters.asJava(entries);
    this.awaitingFailureOnly = awaitingFailureOnly;
  }

  /** The map itself when it is one already, else its entries in its iteration order. */
  static InFlight of(Map<String, MessageRecord> map) {
    if (map instanceof InFlight f) {
      return f;
    }
    InFlight result = EMPTY;
    for (Map.Entry<String, MessageRecord> e : map.entrySet()) {
      result = result.with(e.getKey(), e.getValue());
    }
    return result;
  }

  /** This map with {@code ref} mapped to {@code record}: in its old place if it was here. */
  InFlight with(String ref, MessageRecord record) {
    return new InFlight(entries.updated(ref, record),
        awaitingFailureOnly - awaiting(view.get(ref)) + awaiting(record));
  }

  InFlight without(String ref) {
    MessageRecord old = view.get(ref);
    return old == null ? this
        : new InFlight(entries.removed(ref), awaitingFailureOnly - awaiting(old));
  }

  /** The records that {@link MessageRecord#awaitsFailureOnly}. */
  int awaitingFailureOnly() {
    return awaitingFailureOnly;
  }

  private static int awaiting(MessageRecord m) {
    return m != null && m.awaitsFailureOnly() ? 1 : 0;
  }

  @Override
  public MessageRecord get(Object key) {
    return view.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return view.containsKey(key);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Set<Map.Entry<String, MessageRecord>> entrySet() {
    return view.entrySet();
  }
}
