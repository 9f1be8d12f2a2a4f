package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.sms.Gsm7Alphabet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invitation behaviours and timers end to end, on a node with short timers (reply window 2 s,
 * 180 repeated every 1 s, idle timeout 3 s, withdrawn SMS on): what the CPM client saw and what
 * the SMSC simulator received, each time with the CPM identifiers.
 */
class InvitationBehavioursIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String IDS = "Conversation-ID: Conv-ib-1\r\nContribution-ID: Contr-ib-1\r\n"
      + "InReplyTo-Contribution-ID: Reply-ib-0\r\n";
  private static final String TAGS = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n";
  private static final AtomicInteger USERS = new AtomicInteger(700);

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static CpmClient client;
  private static int sipPort;

  @BeforeAll
  static void start() throws Exception {
    Properties timers = new Properties();
    timers.setProperty("ipsmgw.policy.reply-window", "2s");
    timers.setProperty("ipsmgw.policy.provisional-refresh", "1s");
    timers.setProperty("ipsmgw.policy.idle-timeout", "3s");
    timers.setProperty("ipsmgw.policy.withdrawn-sms", "true");
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), timers);
    smsc = edges.smsc;
    node = edges.node;
    sipPort = edges.sipPort;
    client = new CpmClient("127.0.0.1", TestPorts.free(), CPM);
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

  private static String user(InvitationAction preference) throws Exception {
    String user = "+4477009" + (30000 + USERS.incrementAndGet());
    if (preference != null) {
      EdgeNode.prefer(node, user, preference);
    }
    return user;
  }

  private static CpmClient.Call invite(String user) throws Exception {
    return client.invite("127.0.0.1", sipPort, user, IDS + TAGS, client.offer("actpass"));
  }

  private static void assertIds(javax.sip.message.Message m) {
    assertEquals("Conv-ib-1", SipText.value(m, Cpm.CONVERSATION_ID));
    assertEquals("Contr-ib-1", SipText.value(m, Cpm.CONTRIBUTION_ID));
    assertEquals("Reply-ib-0", SipText.value(m, Cpm.IN_REPLY_TO));
  }

  /** Every SMS to {@code user}, once there are at least {@code count}. */
  private static List<String> smsTo(String user, int count) throws InterruptedException {
    String dest = user.substring(1);
    Await.until(() -> smsc.submits().stream().filter(s -> s.destination().equals(dest)).count()
        >= count, WAIT, count + " SMS to " + user);
    List<String> texts = new ArrayList<>();
    for (ReceivedSubmit s : smsc.submits()) {
      if (s.destination().equals(dest)) {
        texts.add(Gsm7Alphabet.decode(s.shortMessage(), 0, s.shortMessage().length));
      }
    }
    return texts;
  }

  private static String correlation(String user) throws InterruptedException {
    String dest = user.substring(1);
    Await.until(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(dest)), WAIT,
        "the invitation SMS to " + user);
    return "+" + smsc.submits().stream().filter(s -> s.destination().equals(dest)).findFirst()
        .orElseThrow().source();
  }

  /** The responses to the INVITE up to its final one, in order. */
  private static List<Response> untilFinal(CpmClient.Call call) throws Exception {
    List<Response> seen = new ArrayList<>();
    while (true) {
      Response r = client.awaitResponse(call, WAIT);
      String method = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
      if (!method.equals(Request.INVITE)) {
        continue;
      }
      seen.add(r);
      if (r.getStatusCode() >= 200) {
        return seen;
      }
    }
  }

  private static Request awaitRequest(String callId, String method) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Request r = client.awaitRequest(WAIT);
      if (r.getMethod().equals(method) && SipText.value(r, "Call-ID").equals(callId)) {
        return r;
      }
    }
    throw new AssertionError("no " + method + " for " + callId);
  }

  @Test
  void anUnclearReplyIsAskedAgainAndTheAcceptKeywordThenAccepts() throws Exception {
    String user = user(null);
    CpmClient.Call call = invite(user);
    String number = correlation(user);
    assertEquals(List.of(0), smsc.injectMo(user, number, "who is this?"));
    List<String> texts = smsTo(user, 2);
    assertTrue(texts.get(1).startsWith("Reply YES to chat with"), texts.toString());
    assertEquals(List.of(0), smsc.injectMo(user, number, "Yes!"));
    List<Response> responses = untilFinal(call);
    Response ok = responses.get(responses.size() - 1);
    assertEquals(200, ok.getStatusCode());
    assertIds(ok);
    assertTrue(responses.stream().anyMatch(r -> r.getStatusCode() == 180));
    client.ack(call, ok);
  }

  @Test
  void withAcceptWithTextAnyReplyAcceptsAndArrivesAsTheFirstChatMessage() throws Exception {
    org.ipsmgw.policy.PolicyHolder policy = org.ipsmgw.policy.PolicyHolder.get(node.system());
    assertTrue(policy.update("{\"other-reply\": \"ACCEPT_WITH_TEXT\"}").toCompletableFuture()
        .get(15, java.util.concurrent.TimeUnit.SECONDS)
        instanceof org.ipsmgw.policy.PolicyReply.Updated);
    try {
      String user = user(null);
      CpmClient.Call call = invite(user);
      assertEquals(List.of(0), smsc.injectMo(user, correlation(user), "sure, what's up?"));
      List<Response> responses = untilFinal(call);
      Response ok = responses.get(responses.size() - 1);
      assertEquals(200, ok.getStatusCode());
      assertIds(ok);
      client.ack(call, ok);
      try (org.ipsmgw.sim.MsrpClient msrp = client.connectMsrp(ok)) {
        org.ipsmgw.msrp.MsrpFrame send = msrp.nextRequest(WAIT);
        assertEquals("SEND", send.method());
        msrp.send(org.ipsmgw.msrp.MsrpWriter.response(send, client.msrpUri(), 200, "OK"));
        assertEquals("sure, what's up?",
            org.ipsmgw.cpim.CpimCodec.parse(send.body()).bodyText());
      }
      assertEquals(1, smsTo(user, 1).size(), "no ask-again SMS");
    } finally {
      policy.update("{\"other-reply\": \"ASK_AGAIN\"}").toCompletableFuture()
          .get(15, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void theDeclineKeywordGives603AndNothingMore() throws Exception {
    String user = user(null);
    CpmClient.Call call = invite(user);
    assertEquals(List.of(0), smsc.injectMo(user, correlation(user), "no"));
    List<Response> responses = untilFinal(call);
    Response declined = responses.get(responses.size() - 1);
    assertEquals(603, declined.getStatusCode());
    assertIds(declined);
    assertEquals(1, smsTo(user, 1).size(), "only the invitation SMS was sent");
  }

  @Test
  void noReplyWithinTheWindowGives480AfterRepeated180s() throws Exception {
    String user = user(null);
    CpmClient.Call call = invite(user);
    List<Response> responses = untilFinal(call);
    Response expired = responses.get(responses.size() - 1);
    assertEquals(480, expired.getStatusCode());
    assertIds(expired);
    long ringing = responses.stream().filter(r -> r.getStatusCode() == 180).count();
    assertTrue(ringing >= 2, "the 180 is repeated while waiting: " + ringing);
    responses.stream().filter(r -> r.getStatusCode() == 180)
        .forEach(InvitationBehavioursIT::assertIds);
  }

  @Test
  void cancelWhileWaitingGives487AndAWithdrawnSms() throws Exception {
    String user = user(null);
    CpmClient.Call call = invite(user);
    correlation(user);
    client.cancel(call);
    List<Response> responses = untilFinal(call);
    Response cancelled = responses.get(responses.size() - 1);
    assertEquals(487, cancelled.getStatusCode());
    assertIds(cancelled);
    List<String> texts = smsTo(user, 2);
    assertTrue(texts.get(1).contains("withdrew the chat invitation"), texts.toString());
  }

  @Test
  void anIdleChatIsEndedWithByeAndANoticeSms() throws Exception {
    String user = user(InvitationAction.ACCEPT);
    CpmClient.Call call = invite(user);
    List<Response> responses = untilFinal(call);
    Response ok = responses.get(responses.size() - 1);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    Request bye = awaitRequest(call.callId(), Request.BYE);
    assertIds(bye);
    List<String> texts = smsTo(user, 1);
    assertTrue(texts.get(0).contains("ended after a period of inactivity"), texts.toString());
  }

  @Test
  void byeFromTheCpmUserGets200AndATeardownSms() throws Exception {
    String user = user(InvitationAction.ACCEPT);
    CpmClient.Call call = invite(user);
    List<Response> responses = untilFinal(call);
    Response ok = responses.get(responses.size() - 1);
    client.ack(call, ok);
    client.inDialog(call, ok, Request.BYE, null);
    Response byeOk = null;
    while (byeOk == null) {
      Response r = client.awaitResponse(call, WAIT);
      if (((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod().equals(Request.BYE)) {
        byeOk = r;
      }
    }
    assertEquals(200, byeOk.getStatusCode());
    assertIds(byeOk);
    List<String> texts = smsTo(user, 1);
    assertTrue(texts.get(0).contains("has left the chat"), texts.toString());
  }
}
