package org.ipsmgw.subscriber;

/**
 * What a node learns from its SMS users for metrics: how much of the correlation pool one user's
 * chats hold, and invitations refused because none was left. Told of live decisions only, never
 * of a journal's replay.
 */
public interface SubscriberObserver {
  /** Observes nothing (unit tests). */
  SubscriberObserver NONE = new SubscriberObserver() {};

  /** A chat got a correlation number; the user's chats now hold {@code poolNumbers} of the pool. */
  default void reserved(int poolNumbers) {}

  /** An invitation was refused (503): every pool number is held by the user's other chats. */
  default void exhausted() {}
}
