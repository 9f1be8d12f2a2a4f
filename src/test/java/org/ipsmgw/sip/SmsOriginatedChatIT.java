package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sip.message.Request;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.sms.Gsm7Alphabet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SMS-originated chat end to end ({@code sms-originated = CHAT}): an SMS to a CPM user's
 * number with no conversation makes the gateway INVITE the CPM user through the outbound proxy;
 * once accepted, the SMS arrives over MSRP, the chat runs both ways through the CPM user's number,
 * and the SMS user's stop keyword ends it with BYE.
 */
class SmsOriginatedChatIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String SMS = "+447700940001";

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static CpmClient client;

  @BeforeAll
  static void start() throws Exception {
    int clientPort = TestPorts.free();
    Properties chat = new Properties();
    chat.setProperty("ipsmgw.policy.sms-originated", "CHAT");
    edges = EdgeNode.start(SimulatorOptions.defaults(),
        Map.of("IPSMGW_SIP_OUTBOUND_PROXY", "sip:127.0.0.1:" + clientPort + ";transport=tcp;lr"),
        chat);
    smsc = edges.smsc;
    node = edges.node;
    client = new CpmClient("127.0.0.1", clientPort, CPM);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (edges != null) {
      edges.close();
    }
  }

  private static Request awaitRequest(String method) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Request r = client.awaitRequest(WAIT);
      if (r.getMethod().equals(method)) {
        return r;
      }
    }
    throw new AssertionError("no " + method + " from the gateway");
  }

  private static CpimMessage nextChat(MsrpClient msrp) throws Exception {
    MsrpFrame send = msrp.nextRequest(WAIT);
    assertEquals("SEND", send.method());
    msrp.send(MsrpWriter.response(send, client.msrpUri(), 200, "OK"));
    return CpimCodec.parse(send.body());
  }

  @Test
  void anSmsToACpmNumberOpensAChatThatRunsBothWaysUntilStop() throws Exception {
    assertEquals(List.of(0), smsc.injectMo(SMS, CPM, "Hello from SMS"));

    Request invite = awaitRequest(Request.INVITE);
    assertEquals("tel:" + CPM, invite.getRequestURI().toString());
    assertTrue(SipText.value(invite, "From").contains("tel:" + SMS), SipText.value(invite, "From"));
    String conversation = SipText.value(invite, Cpm.CONVERSATION_ID);
    String contribution = SipText.value(invite, Cpm.CONTRIBUTION_ID);
    assertTrue(conversation != null && !conversation.isBlank());
    assertTrue(contribution != null && !contribution.isBlank());
    assertEquals(Cpm.SESSION_ICSI, SipText.value(invite, Cpm.P_ASSERTED_SERVICE));
    assertTrue(SipText.value(invite, "Accept-Contact").contains(Cpm.SESSION_TAG));
    String sdp = new String(invite.getRawContent(), StandardCharsets.UTF_8);
    assertTrue(sdp.contains("TCP/MSRP") && sdp.contains("a=setup:actpass")
        && sdp.contains("a=path:msrp://"), sdp);

    MsrpClient msrp = client.awaitReconnected(WAIT);
    CpimMessage first = nextChat(msrp);
    assertEquals("Hello from SMS", first.bodyText());
    assertEquals("<tel:" + SMS + ">", first.header("From").orElseThrow());

    String path = CpmClient.msrpPath(sdp);
    byte[] cpim = ("From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:" + SMS + ">\r\n\r\n"
        + "Content-Type: text/plain\r\n\r\nHi SMS user").getBytes(StandardCharsets.UTF_8);
    msrp.send(MsrpWriter.send("tx-o1", path, client.msrpUri(), "m-o1",
        ByteRange.whole(cpim.length), false, null, "message/cpim", cpim, '$'));
    assertEquals(200, msrp.responseTo("tx-o1", WAIT).status());
    Await.until(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(
        SMS.substring(1))), WAIT, "an SMS to " + SMS);
    ReceivedSubmit back = smsc.submits().stream()
        .filter(s -> s.destination().equals(SMS.substring(1))).findFirst().orElseThrow();
    assertEquals(CPM.substring(1), back.source(), "the chat runs through the CPM user's number");
    assertEquals("Hi SMS user", Gsm7Alphabet.decode(back.shortMessage(), 0,
        back.shortMessage().length));

    assertEquals(List.of(0), smsc.injectMo(SMS, CPM, "second one"));
    assertEquals("second one", nextChat(msrp).bodyText());

    assertEquals(List.of(0), smsc.injectMo(SMS, CPM, "STOP"));
    Request bye = awaitRequest(Request.BYE);
    assertEquals(conversation, SipText.value(bye, Cpm.CONVERSATION_ID));
    assertEquals(contribution, SipText.value(bye, Cpm.CONTRIBUTION_ID));
    msrp.close();
  }

  @Test
  void theStopKeywordBeforeTheCpmUserAnswersCancelsTheInvite() throws Exception {
    String sms = "+447700940002";
    client.ringOnly(true);
    try {
      assertEquals(List.of(0), smsc.injectMo(sms, CPM, "are you there?"));
      Request invite = awaitRequest(Request.INVITE);
      assertTrue(SipText.value(invite, "From").contains("tel:" + sms));
      assertEquals(List.of(0), smsc.injectMo(sms, CPM, "STOP"));
      Request cancel = awaitRequest(Request.CANCEL);
      assertEquals(SipText.value(invite, "Call-ID"), SipText.value(cancel, "Call-ID"));
      String callId = SipText.value(invite, "Call-ID");
      Await.until(() -> {
        try {
          return org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
              .entityRefFor(org.ipsmgw.session.ChatSession.TYPE_KEY, callId)
              .<org.ipsmgw.session.SessionSummary>ask(
                  org.ipsmgw.session.ChatSessionCommand.Summarize::new, WAIT)
              .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS)
              .state().equals("REJECTED");
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the chat ends as REJECTED");
    } finally {
      client.ringOnly(false);
    }
    // The number is free again: the next SMS opens a new chat with a new Call-ID.
    assertEquals(List.of(0), smsc.injectMo(sms, CPM, "ok, later then"));
    Request again = awaitRequest(Request.INVITE);
    assertTrue(SipText.value(again, "From").contains("tel:" + sms));
    awaitRequest(Request.ACK);
    client.awaitReconnected(WAIT).close();
  }
}
