package org.ipsmgw.session;

import java.util.List;
import org.ipsmgw.CborSerializable;

/**
 * What any node needs to answer the CPM INVITE, or to send an in-dialog request, without the SIP
 * transaction that received it: header values exactly as received. Lets a node that takes over
 * after a crash send the pending final response statelessly.
 *
 * @param via the Via header values, topmost first
 * @param remoteTag the From tag of the CPM side
 * @param remoteTarget the Contact URI of the CPM side (target of BYE / re-INVITE)
 * @param recordRoute Record-Route values as received; the route set of the dialog
 */
public record InviteContext(String requestUri, List<String> via, String from, String to,
    String callId, long cseq, String remoteTag, String remoteTarget, List<String> recordRoute)
    implements CborSerializable {

  public InviteContext {
    via = List.copyOf(via);
    recordRoute = List.copyOf(recordRoute);
  }

  /**
   * The dialog of the gateway's own INVITE as the CPM side answered it: its To (with its tag) is
   * the remote party, its Contact the remote target, its Record-Route read backwards the route
   * set.
   */
  InviteContext answeredBy(String remoteParty, String remoteTag, String remoteTarget,
      List<String> routeSet) {
    return new InviteContext(requestUri, via, remoteParty, to, callId, cseq, remoteTag,
        remoteTarget, routeSet);
  }
}
