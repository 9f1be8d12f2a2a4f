package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.sms.Gsm7Alphabet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pager mode end to end over real sockets (CPM client ⇄ node ⇄ SMSC simulator): a CPM standalone
 * MESSAGE becomes an SMS and its receipt an IMDN MESSAGE; the SMS user's reply goes back as a
 * MESSAGE in the same conversation; an SMS to a CPM number with no conversation starts one; and
 * bad MESSAGEs get their status. Both wires are checked each time.
 */
class PagerModeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String CONV = "Conv-pager-7f.A=b";
  private static final String CONTRIB = "Contr-pager-01";
  private static final String IDS = "Conversation-ID: " + CONV + "\r\nContribution-ID: " + CONTRIB
      + "\r\n";
  private static final String TAGS = "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n";
  private static final AtomicInteger USERS = new AtomicInteger(500);

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static CpmClient client;
  private static int sipPort;

  @BeforeAll
  static void start() throws Exception {
    int clientPort = TestPorts.free();
    edges = EdgeNode.start(SimulatorOptions.defaults().withReceipts(Duration.ofMillis(50), 1.0),
        Map.of("IPSMGW_SIP_OUTBOUND_PROXY", "sip:127.0.0.1:" + clientPort + ";transport=tcp;lr"),
        new Properties());
    smsc = edges.smsc;
    node = edges.node;
    sipPort = edges.sipPort;
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

  private static String newUser() {
    return "+4477009" + (20000 + USERS.incrementAndGet());
  }

  private static String cpim(String text, String imdnId, String disposition) {
    return "From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:+447700900000>\r\n"
        + "DateTime: 2026-11-30T10:00:00Z\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: " + imdnId + "\r\n"
        + (disposition == null ? "" : "imdn.Disposition-Notification: " + disposition + "\r\n")
        + "\r\nContent-Type: text/plain;charset=UTF-8\r\n\r\n" + text;
  }

  private static Response send(String user, String headers, String type, String body)
      throws Exception {
    CpmClient.Call call = client.outOfDialog(Request.MESSAGE, "127.0.0.1", sipPort, user,
        headers, type, body);
    return client.awaitFinal(call, WAIT);
  }

  private static ReceivedSubmit awaitSubmit(String user) throws InterruptedException {
    Await.until(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(
        user.substring(1))), WAIT, "an SMS to " + user);
    return smsc.submits().stream().filter(s -> s.destination().equals(user.substring(1)))
        .findFirst().orElseThrow();
  }

  private static String text(ReceivedSubmit s) {
    return Gsm7Alphabet.decode(s.shortMessage(), 0, s.shortMessage().length);
  }

  /** The next MESSAGE from the gateway that matches, skipping others. */
  private static Request awaitMessage(Predicate<Request> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Request r = client.awaitRequest(WAIT);
      if (r.getMethod().equals(Request.MESSAGE) && wanted.test(r)) {
        return r;
      }
    }
    throw new AssertionError("no matching MESSAGE from the gateway");
  }

  private static CpimMessage body(Request r) {
    return CpimCodec.parse(r.getRawContent());
  }

  @Test
  void aCpmMessageBecomesAnSmsAndItsReceiptAnImdnMessage() throws Exception {
    String user = newUser();
    Response accepted = send(user, IDS + TAGS, "message/cpim",
        cpim("Hello from pager mode", "imdn-p1", "positive-delivery, negative-delivery"));
    assertEquals(202, accepted.getStatusCode());
    assertEquals(CONV, SipText.value(accepted, Cpm.CONVERSATION_ID));
    assertEquals(CONTRIB, SipText.value(accepted, Cpm.CONTRIBUTION_ID));

    ReceivedSubmit sms = awaitSubmit(user);
    assertEquals(CPM.substring(1), sms.source(), "the SMS comes from the CPM user's number");
    assertEquals("Hello from pager mode", text(sms));
    assertEquals(1, sms.registeredDelivery() & 0x03, "a receipt is asked of the SMSC");

    Request imdnMessage = awaitMessage(r -> body(r).contentType().equals(ImdnXml.CONTENT_TYPE));
    assertEquals(CONV, SipText.value(imdnMessage, Cpm.CONVERSATION_ID));
    assertEquals(CONTRIB, SipText.value(imdnMessage, Cpm.CONTRIBUTION_ID));
    assertEquals(Cpm.MSG_ICSI, SipText.value(imdnMessage, Cpm.P_ASSERTED_SERVICE));
    assertTrue(SipText.value(imdnMessage, "Accept-Contact").contains(Cpm.MSG_TAG));
    assertEquals("sip:" + CPM + "@127.0.0.1", imdnMessage.getRequestURI().toString());
    Imdn imdn = ImdnXml.parse(body(imdnMessage).bodyText());
    assertEquals("imdn-p1", imdn.messageId());
    assertEquals(Imdn.Kind.DELIVERY, imdn.kind());
    assertEquals("delivered", imdn.status());
  }

  private static double metric(String series) throws Exception {
    return org.ipsmgw.Scrape.value(node.adminPort(), series);
  }


  @Test
  void theSmsUsersReplyGoesBackAsAMessageInTheSameConversation() throws Exception {
    String toSms = "ipsmgw_pager_messages_total{direction=\"to_sms\"}";
    String toCpm = "ipsmgw_pager_messages_total{direction=\"to_cpm\"}";
    double toSmsBefore = metric(toSms);
    double toCpmBefore = metric(toCpm);
    String user = newUser();
    assertEquals(202, send(user, IDS + TAGS, "message/cpim", cpim("Lunch?", "imdn-p2", null))
        .getStatusCode());
    assertEquals(toSmsBefore + 1, metric(toSms));
    ReceivedSubmit sms = awaitSubmit(user);
    assertEquals(List.of(0), smsc.injectMo(user, "+" + sms.source(), "Yes, 1pm"));

    Request reply = awaitMessage(r -> body(r).bodyText().equals("Yes, 1pm"));
    assertEquals(CONV, SipText.value(reply, Cpm.CONVERSATION_ID), "the stored Conversation-ID");
    assertEquals(CONTRIB, SipText.value(reply, Cpm.IN_REPLY_TO),
        "InReplyTo-Contribution-ID names the message replied to");
    String contribution = SipText.value(reply, Cpm.CONTRIBUTION_ID);
    assertTrue(contribution != null && !contribution.isBlank());
    assertNotEquals(CONTRIB, contribution, "a new Contribution-ID for the new message");
    assertTrue(SipText.value(reply, "From").contains("tel:" + user), SipText.value(reply, "From"));
    assertEquals("<tel:" + user + ">", body(reply).header("From").orElseThrow());
    assertTrue(body(reply).imdnMessageId().isPresent());
    assertEquals(Cpm.MSG_ICSI, SipText.value(reply, Cpm.P_ASSERTED_SERVICE));
    assertEquals(toCpmBefore + 1, metric(toCpm));
  }

  @Test
  void anSmsToACpmNumberWithNoConversationStartsOne() throws Exception {
    String user = newUser();
    assertEquals(List.of(0), smsc.injectMo(user, CPM, "Hi, it's Dana - new phone"));
    Request started = awaitMessage(r -> body(r).bodyText().equals("Hi, it's Dana - new phone"));
    assertEquals("tel:" + CPM, started.getRequestURI().toString());
    String conversation = SipText.value(started, Cpm.CONVERSATION_ID);
    assertTrue(conversation != null && !conversation.isBlank() && !conversation.equals(CONV));
    assertTrue(SipText.value(started, Cpm.CONTRIBUTION_ID) != null);
    assertNull(SipText.value(started, Cpm.IN_REPLY_TO), "nothing to reply to yet");

    assertEquals(List.of(0), smsc.injectMo(user, CPM, "Are you there?"));
    Request next = awaitMessage(r -> body(r).bodyText().equals("Are you there?"));
    assertEquals(conversation, SipText.value(next, Cpm.CONVERSATION_ID),
        "the next SMS continues the conversation it started");
    assertEquals(SipText.value(started, Cpm.CONTRIBUTION_ID), SipText.value(next, Cpm.IN_REPLY_TO));
  }

  @Test
  void anInterworkingRequestIsAnsweredWithTheLegacySmsNotice() throws Exception {
    String user = newUser();
    assertEquals(202, send(user, IDS + TAGS, "message/cpim",
        cpim("are you on RCS?", "imdn-iw", "interworking")).getStatusCode());
    Request notice = awaitMessage(r -> body(r).contentType().equals(ImdnXml.CONTENT_TYPE)
        && ImdnXml.parse(body(r).bodyText()).messageId().equals("imdn-iw"));
    Imdn imdn = ImdnXml.parse(body(notice).bodyText());
    assertEquals(Imdn.Kind.INTERWORKING, imdn.kind());
    assertEquals("legacy-sms", imdn.status());
    assertEquals(CONV, SipText.value(notice, Cpm.CONVERSATION_ID));
    assertEquals("are you on RCS?", text(awaitSubmit(user)));
  }

  @Test
  void anAnonymousSenderIsShownAsAPoolNumberThatRepliesReach() throws Exception {
    String user = newUser();
    String hidden = IDS + TAGS + "Privacy: id\r\nP-Asserted-Identity: <sip:" + CPM
        + "@127.0.0.1>\r\n";
    assertEquals(202, send(user, hidden, "message/cpim", cpim("guess who", "imdn-a1", null))
        .getStatusCode());
    ReceivedSubmit sms = awaitSubmit(user);
    assertNotEquals(CPM.substring(1), sms.source(), "never the anonymous sender's number");
    assertTrue(sms.source().startsWith("4477009001"), "a pool number: " + sms.source());
    assertEquals("guess who", text(sms));

    assertEquals(List.of(0), smsc.injectMo(user, "+" + sms.source(), "who is this?"));
    Request reply = awaitMessage(r -> body(r).bodyText().equals("who is this?"));
    assertEquals("sip:" + CPM + "@127.0.0.1", reply.getRequestURI().toString(),
        "the reply reaches the asserted identity");
    assertEquals(CONV, SipText.value(reply, Cpm.CONVERSATION_ID));
    assertEquals(CONTRIB, SipText.value(reply, Cpm.IN_REPLY_TO));

    assertEquals(202, send(user, hidden, "message/cpim", cpim("me again", "imdn-a2", null))
        .getStatusCode());
    Await.until(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(
        user.substring(1)) && text(s).equals("me again")), WAIT, "the second SMS");
    assertEquals(sms.source(), smsc.submits().stream().filter(s -> text(s).equals("me again"))
        .findFirst().orElseThrow().source(), "the same sender keeps its number");
  }

  @Test
  void anonymityIsRefusedWhenPolicyForbidsItOrNoIdentityIsAsserted() throws Exception {
    String user = newUser();
    Response noIdentity = send(user, IDS + TAGS + "Privacy: id\r\n", "message/cpim",
        cpim("x", "imdn-a3", null));
    assertEquals(403, noIdentity.getStatusCode());
    org.ipsmgw.policy.PolicyHolder policy = org.ipsmgw.policy.PolicyHolder.get(node.system());
    policy.update("{\"anonymity-allowed\": false}").toCompletableFuture()
        .get(15, java.util.concurrent.TimeUnit.SECONDS);
    try {
      Response forbidden = send(user, IDS + TAGS + "Privacy: id\r\nP-Asserted-Identity: <sip:"
          + CPM + "@127.0.0.1>\r\n", "message/cpim", cpim("y", "imdn-a4", null));
      assertEquals(403, forbidden.getStatusCode());
      assertEquals("Anonymous interworking not allowed", forbidden.getReasonPhrase());
    } finally {
      policy.update("{\"anonymity-allowed\": true}").toCompletableFuture()
          .get(15, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertEquals(202, send(user, IDS + TAGS, "text/plain", "after").getStatusCode());
    awaitSubmit(user);
    assertEquals(List.of("after"), smsc.submits().stream()
        .filter(s -> s.destination().equals(user.substring(1))).map(PagerModeIT::text).toList(),
        "the refused anonymous MESSAGEs sent no SMS");
  }

  @Test
  void badMessagesGetTheirStatusAndNoSms() throws Exception {
    String user = newUser();
    assertEquals(488, send(user, IDS, "message/cpim", cpim("no tag", "i-1", null))
        .getStatusCode());
    Response missing = send(user, "Conversation-ID: c-only\r\n" + TAGS, "message/cpim",
        cpim("no contribution", "i-2", null));
    assertEquals(400, missing.getStatusCode());
    assertEquals("Missing Contribution-ID", missing.getReasonPhrase());
    assertEquals(415, send(user, IDS + TAGS, "application/octet-stream", "xx").getStatusCode());
    assertEquals(404, send("12345", IDS + TAGS, "text/plain", "to no number").getStatusCode());
    assertEquals(413, send(user, IDS + TAGS, "text/plain", "x".repeat(161 * 10))
        .getStatusCode());
    String composing = "From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:" + user + ">\r\n\r\n"
        + "Content-Type: application/im-iscomposing+xml\r\n\r\n<isComposing/>";
    assertEquals(200, send(user, IDS + TAGS, "message/cpim", composing).getStatusCode());

    assertEquals(202, send(user, IDS + TAGS, "text/plain", "the only SMS").getStatusCode());
    awaitSubmit(user);
    List<String> texts = smsc.submits().stream()
        .filter(s -> s.destination().equals(user.substring(1))).map(PagerModeIT::text).toList();
    assertEquals(List.of("the only SMS"), texts, "refused and consumed MESSAGEs sent no SMS");
  }

  /**
   * A CPM client need not wait for one MESSAGE's 202 before it sends the next: what it sent
   * together to one SMS user reaches the SMSC in the order it sent it, for several users at once.
   */
  @Test
  void messagesSentTogetherBecomeSmsInTheOrderTheyCame() throws Exception {
    int count = 50;
    List<String> users = List.of(newUser(), newUser(), newUser(), newUser());
    List<CpmClient.Call> calls = new java.util.ArrayList<>();
    // Threads that only take CPU, as a loaded node's other work does: a step that hands a
    // MESSAGE to another thread before its conversation has it is then overtaken often.
    java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(
        true);
    List<Thread> spinners = new java.util.ArrayList<>();
    for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
      Thread t = new Thread(() -> {
        while (busy.get()) {
          Thread.onSpinWait();
        }
      }, "cpu-taker-" + i);
      t.setDaemon(true);
      t.start();
      spinners.add(t);
    }
    try {
      for (int i = 1; i <= count; i++) {
        for (String user : users) {
          calls.add(client.outOfDialog(Request.MESSAGE, "127.0.0.1", sipPort, user, IDS + TAGS,
              "text/plain", "in order " + i));
        }
      }
      for (CpmClient.Call call : calls) {
        assertEquals(202, client.awaitFinal(call, WAIT).getStatusCode());
      }
    } finally {
      busy.set(false);
      for (Thread t : spinners) {
        t.join();
      }
    }
    List<String> sent = java.util.stream.IntStream.rangeClosed(1, count)
        .mapToObj(i -> "in order " + i).toList();
    for (String user : users) {
      Await.until(() -> smsc.submits().stream().filter(s -> s.destination().equals(
          user.substring(1))).count() == count, WAIT, count + " SMS to " + user);
      assertEquals(sent, smsc.submits().stream()
          .filter(s -> s.destination().equals(user.substring(1))).map(PagerModeIT::text)
          .toList(), "to " + user);
    }
  }
}
