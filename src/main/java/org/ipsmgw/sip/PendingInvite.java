package org.ipsmgw.sip;

import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import org.ipsmgw.session.CpmIdentifiers;

/** An INVITE of a chat that has no final response yet, as this node holds it. */
sealed interface PendingInvite {

  /**
   * The CPM side's INVITE, received by this node: its transaction carries the final response;
   * its offer's {@code a=setup} and {@code a=path} pick the answer's setup and whether this node
   * connects.
   */
  record Received(ServerTransaction transaction, String offeredSetup, String offeredPath)
      implements PendingInvite {}

  /**
   * The gateway's own INVITE (the chat's first, or a re-INVITE after the chat moved), for the
   * ACK to its 2xx, its CANCEL, and the chat's outcome.
   *
   * @param routes the dialog's route set for the ACK; null for a first INVITE, whose 2xx brings
   *     it
   * @param msrpSessionId the chat's MSRP session, whose path this node connects when the answer
   *     is passive (first INVITE only)
   * @param cancelled the chat cancelled it: a late 2xx is still ACKed, and the chat ends it
   */
  record Sent(ClientTransaction transaction, CpmIdentifiers ids, List<String> routes,
      String msrpSessionId, boolean cancelled) implements PendingInvite {

    boolean first() {
      return routes == null;
    }

    Sent cancel() {
      return new Sent(transaction, ids, routes, msrpSessionId, true);
    }
  }
}
