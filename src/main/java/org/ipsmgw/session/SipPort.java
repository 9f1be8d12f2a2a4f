package org.ipsmgw.session;

/** Outbound port toward the CPM network over SIP; the SIP gateway implements it. */
public interface SipPort {
  void respond(SipResponse response);

  void request(SipRequest request);

  /** An out-of-dialog MESSAGE (pager mode); the outcome goes back to its pager conversation. */
  void message(SipMessageRequest message);
}
