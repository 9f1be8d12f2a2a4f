package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * What a chat tells the MSRP connection attached to it ({@link ChatSessionCommand.BindMedia}),
 * on whichever node that connection is. The connection answers each with the chat's own
 * {@link ChatSessionCommand.MsrpDelivered} once the CPM side has taken it; until then the chat
 * keeps it owed and sends it again to the next connection that attaches.
 */
public sealed interface MediaCommand extends CborSerializable {

  /** A message from the SMS user for the CPM user. */
  record Deliver(MsrpMessage message) implements MediaCommand {}

  /** What the CPM user is owed about one of its messages (IMDN, failure REPORT). */
  record Notify(DeliveryNotice notice) implements MediaCommand {}

  /**
   * The chat has ended: the connection drops its binding of the chat's MSRP session and does
   * not ask the chat again when it closes.
   */
  record Released(String sessionId) implements MediaCommand {}
}
