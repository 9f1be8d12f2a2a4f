package org.ipsmgw.demo;

import static org.ipsmgw.demo.Demo.HOST;
import static org.ipsmgw.demo.Demo.WAIT;

import java.nio.charset.StandardCharsets;
import javax.sip.header.Header;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sip.Cpm;

/**
 * Alice, the demo's CPM user: her SIP requests and MSRP messages to the gateway, and what she
 * expects back, each step printed to the transcript. Each conversation she opens gets the next
 * demo-conv-N and demo-contrib-N identifiers, so the transcript shows them echoed.
 */
final class Alice {
  private final Transcript say;
  private final CpmClient client;
  private final int sipPort;
  private int conversation;

  Alice(Transcript say, CpmClient client, int sipPort) {
    this.say = say;
    this.client = client;
    this.sipPort = sipPort;
  }

  // --- SIP -------------------------------------------------------------------------------------

  CpmClient.Call invite(String smsUser) throws Exception {
    conversation++;
    String headers = ids(Cpm.SESSION_TAG, Cpm.SESSION_ICSI);
    CpmClient.Call call = client.invite(HOST, sipPort, smsUser, headers, client.offer("actpass"));
    say.line("SIP", "Alice → gateway", "INVITE tel:" + smsUser + " (CPM chat, MSRP offer, "
        + "Conversation-ID demo-conv-" + conversation + ", Contribution-ID demo-contrib-"
        + conversation + ")");
    return call;
  }

  /** A pager-mode MESSAGE (CPM standalone, CPIM) and its 202. */
  void page(String smsUser, String text) throws Exception {
    conversation++;
    String cpim = CpimText.of(Scenes.ALICE, smsUser, "imdn-p", "positive-delivery", text);
    CpmClient.Call call = client.outOfDialog(Request.MESSAGE, HOST, sipPort, smsUser,
        ids(Cpm.MSG_TAG, Cpm.MSG_ICSI), "message/cpim", cpim);
    say.line("SIP", "Alice → gateway", "MESSAGE tel:" + smsUser + " (CPM standalone, CPIM "
        + Transcript.quoted(text) + ", Conversation-ID demo-conv-" + conversation + ")");
    Response accepted = client.awaitFinal(call, WAIT);
    say.line("SIP", "gateway → Alice", accepted.getStatusCode() + " "
        + accepted.getReasonPhrase() + " " + ids(accepted));
    if (accepted.getStatusCode() != 202) {
      throw new IllegalStateException("expected 202 to the MESSAGE, got "
          + accepted.getStatusCode());
    }
  }

  /** The CPM identifiers of the current conversation and the service's feature tag and ICSI. */
  private String ids(String featureTag, String icsi) {
    return "Conversation-ID: demo-conv-" + conversation + "\r\n"
        + "Contribution-ID: demo-contrib-" + conversation + "\r\n"
        + "Accept-Contact: *;" + featureTag + "\r\n"
        + "P-Preferred-Service: " + icsi + "\r\n";
  }

  /** Provisional responses are printed and passed over; the final one must be {@code expected}. */
  Response finalResponse(CpmClient.Call call, int expected) throws Exception {
    while (true) {
      Response r = client.awaitResponse(call, WAIT);
      say.line("SIP", "gateway → Alice", r.getStatusCode() + " " + r.getReasonPhrase()
          + (r.getStatusCode() >= 200 ? " " + ids(r) : ""));
      if (r.getStatusCode() >= 200) {
        if (r.getStatusCode() != expected) {
          throw new IllegalStateException("expected " + expected + ", got " + r.getStatusCode());
        }
        if (!ids(r).contains("demo-conv-")) {
          throw new IllegalStateException("the CPM identifiers were not echoed: " + ids(r));
        }
        return r;
      }
    }
  }

  void awaitProvisional(CpmClient.Call call) throws Exception {
    while (true) {
      Response r = client.awaitResponse(call, WAIT);
      say.line("SIP", "gateway → Alice", r.getStatusCode() + " " + r.getReasonPhrase());
      if (r.getStatusCode() == 180) {
        return;
      }
      if (r.getStatusCode() >= 200) {
        throw new IllegalStateException("expected 180, got " + r.getStatusCode());
      }
    }
  }

  void ack(CpmClient.Call call, Response ok) throws Exception {
    client.ack(call, ok);
    say.line("SIP", "Alice → gateway", "ACK");
  }

  void bye(CpmClient.Call call, Response ok) throws Exception {
    client.inDialog(call, ok, Request.BYE, null);
    say.line("SIP", "Alice → gateway", "BYE");
  }

  /** The gateway ends the chat; Alice's client has answered 200. */
  void expectBye() throws Exception {
    Request bye = awaitRequest(Request.BYE);
    say.line("SIP", "gateway → Alice", "BYE " + ids(bye) + " → Alice answers 200");
  }

  Request awaitMessage() throws Exception {
    return awaitRequest(Request.MESSAGE);
  }

  /** The gateway's next request of this method; ACKs for Alice's 200s are passed over. */
  Request awaitRequest(String method) throws Exception {
    Request r = client.awaitRequest(WAIT);
    while (r.getMethod().equals(Request.ACK)) {
      r = client.awaitRequest(WAIT);
    }
    if (!r.getMethod().equals(method)) {
      throw new IllegalStateException("expected " + method + " from the gateway, got "
          + r.getMethod());
    }
    return r;
  }

  static String ids(Message m) {
    return "[Conversation-ID " + value(m, "Conversation-ID") + ", Contribution-ID "
        + value(m, "Contribution-ID") + "]";
  }

  static String value(Message m, String name) {
    Header h = m.getHeader(name);
    if (h == null) {
      return "-";
    }
    String s = h.toString().trim();
    return s.substring(s.indexOf(':') + 1).trim();
  }

  /** The MSRP path of a 200's answer or a re-INVITE's offer. */
  static String path(javax.sip.message.Message sdpCarrier) {
    return new String(sdpCarrier.getRawContent(), StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("a=path:")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no a=path in the SDP"))
        .substring("a=path:".length()).trim();
  }

  // --- MSRP ------------------------------------------------------------------------------------

  MsrpClient connectMsrp(Response ok) throws Exception {
    MsrpClient msrp = client.connectMsrp(ok);
    say.line("MSRP", "Alice → gateway", "empty SEND binds the connection to the chat → 200");
    return msrp;
  }

  /** The connection Alice opens to the path of the gateway's own INVITE. */
  MsrpClient awaitReconnected() throws Exception {
    MsrpClient msrp = client.awaitReconnected(WAIT);
    say.line("MSRP", "Alice → gateway", "connects to the offered path and binds it");
    return msrp;
  }

  void sendChat(MsrpClient msrp, String path, String to, String imdnId, String text)
      throws Exception {
    byte[] cpim = CpimText.of(Scenes.ALICE, to, imdnId, "positive-delivery, negative-delivery",
        text).getBytes(StandardCharsets.UTF_8);
    String tid = "tx-" + imdnId;
    msrp.send(MsrpWriter.send(tid, path, client.msrpUri(), "msg-" + imdnId,
        ByteRange.whole(cpim.length), false, "yes", "message/cpim", cpim, '$'));
    say.line("MSRP", "Alice → gateway", "SEND CPIM text/plain " + Transcript.quoted(text)
        + " (imdn.Message-ID " + imdnId + ", asks for delivery notifications)");
    MsrpFrame answer = msrp.responseTo(tid, WAIT);
    if (answer.status() != 200) {
      throw new IllegalStateException("MSRP SEND answered " + answer.status());
    }
    say.line("MSRP", "gateway → Alice", "200 OK");
  }

  void expectChat(MsrpClient msrp, String from, String text) throws Exception {
    CpimMessage m = receive(msrp);
    if (!m.bodyText().equals(text) || !m.header("From").orElse("").contains(from)) {
      throw new IllegalStateException("expected " + Transcript.quoted(text) + " from " + from
          + ", got " + m);
    }
    say.line("MSRP", "gateway → Alice", "SEND CPIM From " + m.header("From").orElse("?")
        + ", imdn.Message-ID " + m.imdnMessageId().orElse("?") + ": "
        + Transcript.quoted(m.bodyText()) + " → Alice answers 200");
  }

  void expectImdn(MsrpClient msrp, String imdnId, String status) throws Exception {
    CpimMessage m = receive(msrp);
    Imdn imdn = ImdnXml.parse(m.bodyText());
    if (!imdn.messageId().equals(imdnId) || imdn.kind() != Imdn.Kind.DELIVERY
        || !imdn.status().equals(status)) {
      throw new IllegalStateException("expected a " + status + " IMDN for " + imdnId + ", got "
          + imdn);
    }
    say.line("MSRP", "gateway → Alice", "IMDN " + imdn.kind().element() + " "
        + imdn.status() + " for " + imdnId + " (from the SMSC's delivery receipt)");
  }

  /** The gateway's next SEND, answered 200. */
  private CpimMessage receive(MsrpClient msrp) throws Exception {
    MsrpFrame send = msrp.nextRequest(WAIT);
    if (send == null || !send.method().equals("SEND")) {
      throw new IllegalStateException("expected an MSRP SEND from the gateway, got " + send);
    }
    msrp.send(MsrpWriter.response(send, client.msrpUri(), 200, "OK"));
    return CpimCodec.parse(send.body());
  }
}
