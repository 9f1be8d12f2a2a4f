package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * The lifecycle states of a chat session (architecture.md, invitation state machine): NoSession →
 * Deciding → AwaitingReply | Active | Ended; AwaitingReply → Active | Ended; Active → Ended. Each
 * state applies the events that can happen in it.
 */
public sealed interface ChatSessionState extends CborSerializable
    permits NoSession, InvitedState {

  /** The state's name as shown to operators. */
  String stateName();

  ChatSessionState apply(ChatSessionEvent event);

  default IllegalStateException unexpected(ChatSessionEvent event) {
    return new IllegalStateException(
        "event " + event.getClass().getSimpleName() + " cannot happen in state " + stateName());
  }
}
