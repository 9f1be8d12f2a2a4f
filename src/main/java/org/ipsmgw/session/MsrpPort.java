package org.ipsmgw.session;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Outbound port toward the CPM user over MSRP: the chat hands each message and notice straight to
 * the connection that attached itself to it; no lookup, so a chat on any node reaches its
 * connection on any node.
 */
public interface MsrpPort {
  /** Tells the connection directly; what a node with an MSRP edge uses. */
  MsrpPort DIRECT = ActorRef::tell;

  void deliver(ActorRef<MediaCommand> connection, MediaCommand command);
}
