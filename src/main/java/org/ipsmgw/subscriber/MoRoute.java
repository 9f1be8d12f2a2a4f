package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;

/** Where an MO SMS from this subscriber to a number goes. */
public sealed interface MoRoute extends CborSerializable {
  /** The number is the correlation number of an active chat. */
  record ToSession(String sessionId) implements MoRoute {}

  /** No chat is correlated with the number: an SMS-originated conversation, or nothing. */
  record NoSession(String subscriber, String to) implements MoRoute {}
}
