package org.ipsmgw.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * The RI's stack, with one change: the ACK its INVITE client transaction builds for a non-2xx
 * final response (RFC 3261 §17.1.1.3) carries the INVITE's CPM headers like every other request
 * of the gateway. The RI copies only Via, From, To, Call-ID, CSeq and Route into that ACK and
 * offers no hook for more.
 */
final class GatewayStack extends SipStackImpl {
  /** What a gateway request of a CPM conversation carries besides the dialog's headers. */
  static final List<String> CPM_HEADERS = List.of(Cpm.CONVERSATION_ID, Cpm.CONTRIBUTION_ID,
      Cpm.IN_REPLY_TO, Cpm.SERVICE_ID, Cpm.P_ASSERTED_SERVICE, "Accept-Contact");

  GatewayStack(Properties properties) throws PeerUnavailableException {
    super(properties);
  }

  @Override
  public SIPClientTransaction createClientTransaction(SIPRequest request,
      MessageChannel channel) {
    SIPClientTransaction tx = new CpmClientTransaction(this, channel);
    tx.setOriginalRequest(request);
    return tx;
  }

  /** Copies the CPM headers {@code from} has and {@code to} lacks. */
  static void copyCpmHeaders(Request from, Request to) {
    for (String name : CPM_HEADERS) {
      Header h = from.getHeader(name);
      if (h != null && to.getHeader(name) == null) {
        to.setHeader((Header) h.clone());
      }
    }
  }

  private static final class CpmClientTransaction extends SIPClientTransactionImpl {
    CpmClientTransaction(SIPTransactionStack stack, MessageChannel channel) {
      super(stack, channel);
    }

    @Override
    public void sendMessage(SIPMessage message) throws IOException {
      SIPRequest invite = getOriginalRequest();
      if (message instanceof SIPRequest ack && Request.ACK.equals(ack.getMethod())
          && invite != null && Request.INVITE.equals(invite.getMethod())) {
        copyCpmHeaders(invite, ack);
      }
      super.sendMessage(message);
    }
  }
}
