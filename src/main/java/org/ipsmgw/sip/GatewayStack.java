package org.ipsmgw.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * The RI's stack as the gateway runs it — its properties, and one change: the ACK its INVITE
 * client transaction builds for a non-2xx final response (RFC 3261 §17.1.1.3) carries the
 * INVITE's CPM headers like every other request of the gateway. The RI copies only Via, From,
 * To, Call-ID, CSeq and Route into that ACK and offers no hook for more.
 */
final class GatewayStack extends SipStackImpl {
  /** What a gateway request of a CPM conversation carries besides the dialog's headers. */
  static final List<String> CPM_HEADERS = List.of(Cpm.CONVERSATION_ID, Cpm.CONTRIBUTION_ID,
      Cpm.IN_REPLY_TO, Cpm.SERVICE_ID, Cpm.P_ASSERTED_SERVICE, "Accept-Contact");

  GatewayStack(Properties properties) throws PeerUnavailableException {
    super(properties);
  }

  /** A stack for the gateway at the settings' address, not yet listening. */
  static GatewayStack create(SipSettings settings) throws PeerUnavailableException {
    Properties p = new Properties();
    // The RI logs under its stack name; the "jainsip." prefix lets logback.xml quiet it.
    p.setProperty("javax.sip.STACK_NAME", "jainsip.ipsmgw-" + settings.host() + "-"
        + settings.port());
    // The UA core here is the session entity: no dialog state in the stack, so a node that did
    // not see the INVITE can still send its BYE and final responses.
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    // None of the RI's own log text reaches the log (it carries whole messages): its errors
    // become bounded lines, its message log writes nothing, and unparsable or incomplete
    // messages are reported by the gateway, once per source and interval.
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", StackLog.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoMessageLog.class.getName());
    p.setProperty(StackLog.INTERVAL_PROPERTY,
        String.valueOf(settings.malformedLogInterval().toMillis()));
    p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY",
        GuardedParserFactory.class.getName());
    // The RI's stack class itself, so the ACK to a non-2xx carries the CPM headers too.
    return new GatewayStack(p);
  }

  /**
   * The RI finds a taken TCP port only after many seconds, and then fails on its own cleanup:
   * both ports are tried first, so a taken one is named at once.
   */
  static void ensureFree(SipSettings settings) throws BindException {
    InetSocketAddress at = new InetSocketAddress(settings.host(), settings.port());
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.setReuseAddress(true);
      tcp.bind(at);
    } catch (IOException e) {
      throw new BindException("TCP " + settings.host() + ":" + settings.port()
          + " is already in use");
    }
    try (DatagramSocket udp = new DatagramSocket(null)) {
      udp.bind(at);
    } catch (IOException e) {
      throw new BindException("UDP " + settings.host() + ":" + settings.port()
          + " is already in use");
    }
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
