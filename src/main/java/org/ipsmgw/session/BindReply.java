package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/** The answer to an MSRP connection that names a chat's MSRP session. */
public sealed interface BindReply extends CborSerializable permits BindReply.Bound, Refusal {

  /**
   * The chat may carry MSRP on this session now.
   *
   * @param cpmIdentity the CPM user, the CPIM To of messages toward them
   * @param smsMsisdn the SMS user, the CPIM From of messages from them
   * @param established the chat runs; false while the gateway's own INVITE waits for its answer
   *     (the CPM side may connect as soon as it has sent its 200)
   */
  record Bound(String cpmIdentity, String smsMsisdn, boolean established) implements BindReply {}
}
