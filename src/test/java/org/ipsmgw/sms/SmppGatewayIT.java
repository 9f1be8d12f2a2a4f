package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMPP edge of a real node (H2 journal) against the SMSC simulator over real sockets: chat
 * messages become SMS with the right encoding and segmentation, receipts find their session, MO
 * SMS reach their chat only once durable, and the bind survives throttling, refusals, bad PDUs
 * and an SMSC restart.
 */
class SmppGatewayIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CPM = SessionFixtures.CPM_MSISDN;

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static int smscPort;
  private static RunningNode node;
  private static RecordingPorts effects;
  private static AcceptedChats chats;
  private static int nextUser = 100;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    props.setProperty("ipsmgw.policy.max-sms-parts", "20");
    props.setProperty("ipsmgw.smsc.reconnect.max-backoff", "1s");
    props.setProperty("ipsmgw.smsc.retry.min-backoff", "100ms");
    props.setProperty("ipsmgw.smsc.retry.max-backoff", "500ms");
    props.setProperty("ipsmgw.smsc.retry.budget", "20");
    effects = new RecordingPorts();
    edges = EdgeNode.builder().smsc(SimulatorOptions.defaults()
        .withReceipts(Duration.ofMillis(50), 1.0)).properties(props)
        .ports(effects::sipAndMsrp).start();
    smsc = edges.smsc;
    smscPort = smsc.port();
    node = edges.node;
    chats = new AcceptedChats(node.system(), effects, WAIT);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
    // A test restarts the SMSC: the one running now is not the one the node started with.
    if (smsc != null && smsc != edges.smsc) {
      smsc.close();
    }
  }

  @Test
  void bindIsUpAndReadinessAndMetricsSaySo() throws Exception {
    assertEquals(1, SmppEdgeState.get(node.system()).bindsUp());
    HttpResponse<String> ready = get("/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("ipsmgw_smpp_binds_up 1.0"), metrics.body());
    assertTrue(metrics.body().contains("ipsmgw_smpp_binds_configured 1.0"), metrics.body());
  }

  @Test
  void submitsAndReceiptsAreCountedByStatus() throws Exception {
    Chat chat = activeChat();
    send(chat, "imdn-counted", "count me", ReceiptRequest.SUCCESS_AND_FAILURE);
    assertTrue(effects.await(chat.id(), DeliveryNotice.class, WAIT).delivered());
    String body = get("/metrics").body();
    assertTrue(body.contains("ipsmgw_smpp_submits_total{status=\"ESME_ROK\"}"), body);
    assertTrue(body.contains("ipsmgw_smpp_receipts_total{state=\"DELIVERED\"}"), body);
    assertTrue(body.contains("ipsmgw_smpp_submit_duration_seconds_count"), body);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void gsmChatMessageBecomesOneSmsAndItsReceiptADeliveredNotice() throws Exception {
    Chat chat = activeChat();
    String text = "Hello {world} for 5€ @ home";
    send(chat, "imdn-1", text, ReceiptRequest.SUCCESS_AND_FAILURE);
    ReceivedSubmit sm = awaitSubmits(chat.smsUser(), 1).get(0);
    assertEquals(digits(CPM), sm.source(), "sent from the correlation number");
    assertEquals(1, sm.sourceTon());
    assertEquals(0x00, sm.dataCoding(), "GSM-7");
    assertEquals(0x00, sm.esmClass() & 0x40, "no UDH for a single SMS");
    assertEquals(0x01, sm.registeredDelivery(), "positive-delivery asked: success and failure");
    assertEquals(text, SmsTextDecoder.decode(0, sm.shortMessage(), 0, sm.shortMessage().length,
        false, 0));
    DeliveryNotice notice = effects.await(chat.id(), DeliveryNotice.class, WAIT);
    assertEquals("imdn-1", notice.imdnMessageId());
    assertTrue(notice.delivered());
  }

  @Test
  void thousandCharacterUcs2TextRoundTripsBothWays() throws Exception {
    Chat chat = activeChat();
    StringBuilder b = new StringBuilder();
    while (b.length() < 1000) {
      b.append("Привет мир 😀 ");
    }
    String text = b.substring(0, 999) + "ж";
    int parts = new SmsTextEncoder(ConcatenationMode.UDH_8BIT, false).partCount(text);
    send(chat, "imdn-long", text, ReceiptRequest.NONE);
    List<ReceivedSubmit> sms = awaitSubmits(chat.smsUser(), parts);
    StringBuilder received = new StringBuilder();
    int reference = -1;
    for (int i = 0; i < sms.size(); i++) {
      ReceivedSubmit sm = sms.get(i);
      assertEquals(0x08, sm.dataCoding(), "UCS-2");
      assertEquals(0x40, sm.esmClass() & 0x40, "UDH indicator");
      assertEquals(0x00, sm.registeredDelivery(), "no receipt asked");
      ConcatInfo concat = UserDataHeader.findConcat(sm.shortMessage()).orElseThrow();
      assertEquals(i + 1, concat.seq());
      assertEquals(parts, concat.total());
      if (reference < 0) {
        reference = concat.reference();
      }
      assertEquals(reference, concat.reference(), "one reference for every part");
      byte[] ud = sm.userData();
      received.append(SmsTextDecoder.decode(8, ud, 0, ud.length, false, 0));
    }
    assertEquals(text, received.toString());

    List<Integer> statuses = smsc.injectMo(chat.smsUser(), CPM, text);
    assertEquals(parts, statuses.size());
    statuses.forEach(s -> assertEquals(0, s, "every MO part acknowledged"));
    MsrpMessage toCpm = effects.await(chat.id(), MsrpMessage.class, WAIT);
    assertEquals(text, toCpm.text());
    assertEquals(chat.smsUser(), toCpm.fromMsisdn());
  }

  @Test
  void moPartsInAnyOrderWithADuplicateBecomeOneMessage() throws Exception {
    Chat chat = activeChat();
    String text = "part one of a long reply, ".repeat(12);
    EncodedMessage encoded = new SmsTextEncoder(ConcatenationMode.UDH_8BIT, false)
        .encode(text, 77);
    List<SmscSimulator.MoPdu> pdus = new ArrayList<>();
    for (Segment s : encoded.segments()) {
      pdus.add(new SmscSimulator.MoPdu(s.shortMessage(), 0x40, 0, new org.jsmpp.bean.OptionalParameter[0]));
    }
    assertTrue(pdus.size() >= 3, "test needs three parts");
    List<SmscSimulator.MoPdu> shuffled = new ArrayList<>(List.of(pdus.get(2), pdus.get(0),
        pdus.get(0)));
    shuffled.addAll(pdus.subList(3, pdus.size()));
    shuffled.add(pdus.get(1));
    List<Integer> statuses = smsc.injectRaw(chat.smsUser(), CPM, shuffled);
    statuses.forEach(s -> assertEquals(0, s));
    MsrpMessage toCpm = effects.await(chat.id(), MsrpMessage.class, WAIT);
    assertEquals(text, toCpm.text());
  }

  @Test
  void receiptQuotingAHexIdInDecimalStillFindsItsSession() throws Exception {
    Chat chat = activeChat();
    smsc.setHexIds(true);
    smsc.setReceipts(Duration.ofMillis(50), 0.0);
    try {
      send(chat, "imdn-hex", "will fail", ReceiptRequest.FAILURE_ONLY);
      ReceivedSubmit sm = awaitSubmits(chat.smsUser(), 1).get(0);
      assertEquals(0x02, sm.registeredDelivery(), "negative-delivery only");
      DeliveryNotice notice = effects.await(chat.id(), DeliveryNotice.class, WAIT);
      assertEquals("imdn-hex", notice.imdnMessageId());
      assertFalse(notice.delivered());
    } finally {
      smsc.setHexIds(false);
      smsc.setReceipts(Duration.ofMillis(50), 1.0);
    }
  }

  @Test
  void throttledSubmitsAreRetriedUntilAccepted() throws Exception {
    Chat chat = activeChat();
    smsc.setThrottle(1);
    try {
      for (int i = 0; i < 3; i++) {
        send(chat, "imdn-t" + i, "throttled " + i, ReceiptRequest.SUCCESS_AND_FAILURE);
      }
      for (int i = 0; i < 3; i++) {
        assertTrue(effects.await(chat.id(), DeliveryNotice.class, WAIT).delivered());
      }
    } finally {
      smsc.setThrottle(0);
    }
    List<ReceivedSubmit> all = smsc.submits().stream()
        .filter(s -> s.destination().equals(digits(chat.smsUser()))).toList();
    assertEquals(3, all.stream().filter(ReceivedSubmit::accepted).count());
    assertTrue(all.stream().anyMatch(s -> s.status() == SMPPConstant.STAT_ESME_RTHROTTLED),
        "the simulator throttled at least one submit");
  }

  @Test
  void refusedSubmitFailsBackAtOnce() throws Exception {
    Chat chat = activeChat();
    smsc.refuse(chat.smsUser(), SMPPConstant.STAT_ESME_RINVDSTADR);
    try {
      send(chat, "imdn-refused", "nobody home", ReceiptRequest.FAILURE_ONLY);
      DeliveryNotice notice = effects.await(chat.id(), DeliveryNotice.class, WAIT);
      assertFalse(notice.delivered());
      assertEquals(1, smsc.submits().stream()
          .filter(s -> s.destination().equals(digits(chat.smsUser()))).count(), "no retry");
    } finally {
      smsc.refuse("+10000000000", 0);
    }
  }

  @Test
  void textOverThePartLimitIsRefusedWithoutSubmitting() throws Exception {
    Chat chat = activeChat();
    send(chat, "imdn-huge", "x".repeat(153 * 21), ReceiptRequest.FAILURE_ONLY);
    DeliveryNotice notice = effects.await(chat.id(), DeliveryNotice.class, WAIT);
    assertFalse(notice.delivered());
    assertTrue(smsc.submits().stream()
        .noneMatch(s -> s.destination().equals(digits(chat.smsUser()))));
  }

  @Test
  void badMoPdusGetTheirErrorStatusAndTheBindSurvives() throws Exception {
    Chat chat = activeChat();
    var none = new org.jsmpp.bean.OptionalParameter[0];
    List<Integer> statuses = smsc.injectRaw(chat.smsUser(), CPM, List.of(
        new SmscSimulator.MoPdu(new byte[] {0x00, 0x41, 0x00}, 0, 0x08, none),
        new SmscSimulator.MoPdu("hi".getBytes(StandardCharsets.US_ASCII), 0, 0x05, none),
        new SmscSimulator.MoPdu(new byte[] {0x09, 0x00, 0x03, 0x01}, 0x40, 0x00, none)));
    assertEquals(List.of(SMPPConstant.STAT_ESME_RINVMSGLEN, SMPPConstant.STAT_ESME_RINVDCS,
        SMPPConstant.STAT_ESME_RINVMSGLEN), statuses);
    assertEquals(List.of(SMPPConstant.STAT_ESME_RINVSRCADR),
        smsc.injectRaw("ALPHA", CPM, List.of(new SmscSimulator.MoPdu(
            "hi".getBytes(StandardCharsets.US_ASCII), 0, 0, none))));
    assertEquals(1, smsc.boundSessions(), "the bind survived");
    assertEquals(List.of(0), smsc.injectMo(chat.smsUser(), CPM, "still here"));
    assertEquals("still here", effects.await(chat.id(), MsrpMessage.class, WAIT).text());
  }

  @Test
  void messageAcceptedWhileTheSmscIsDownIsSubmittedAfterItComesBack() throws Exception {
    Chat chat = activeChat();
    smsc.close();
    awaitTrue(() -> SmppEdgeState.get(node.system()).bindsUp() == 0, "bind down");
    send(chat, "imdn-queued", "sent while the SMSC was away", ReceiptRequest.SUCCESS_AND_FAILURE);
    smsc = SmscSimulator.start(SimulatorOptions.defaults().withPort(smscPort)
        .withReceipts(Duration.ofMillis(50), 1.0));
    awaitTrue(() -> smsc.boundSessions() == 1, "the node binds again");
    ReceivedSubmit sm = awaitSubmits(chat.smsUser(), 1).get(0);
    assertTrue(sm.accepted());
    assertTrue(effects.await(chat.id(), DeliveryNotice.class, WAIT).delivered());
  }

  // --- helpers ---

  private record Chat(String id, String smsUser) {}
  /** An accepted chat (policy ACCEPT) between the fixture's CPM user and a fresh SMS user. */
  private static Chat activeChat() throws Exception {
    String smsUser = "+4477009" + (10000 + nextUser++);
    return new Chat(chats.accept("smpp-it-" + smsUser.substring(1) + "@127.0.0.1", smsUser),
        smsUser);
  }

  private static void send(Chat chat, String imdnId, String text, ReceiptRequest receipt)
      throws Exception {
    CommandReply reply = ask(chat.id(), r -> new ChatSessionCommand.CpmMessage("msrp-" + imdnId,
        imdnId, text, receipt, r));
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }
  private static CommandReply ask(String id,
      java.util.function.Function<ActorRef<CommandReply>, ChatSessionCommand> command)
      throws Exception {
    return chats.ask(id, command);
  }

  private static List<ReceivedSubmit> awaitSubmits(String smsUser, int count) throws Exception {
    String dest = digits(smsUser);
    awaitTrue(() -> accepted(dest).size() >= count, count + " submits to " + smsUser);
    List<ReceivedSubmit> got = accepted(dest);
    assertEquals(count, got.size());
    return got;
  }

  private static List<ReceivedSubmit> accepted(String dest) {
    return smsc.submits().stream().filter(s -> s.destination().equals(dest))
        .filter(ReceivedSubmit::accepted).toList();
  }

  private static String digits(String msisdn) {
    return msisdn.substring(1);
  }

  /** Polls a condition on the simulator's or node's state; fails with what it waited for. */
  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    org.ipsmgw.Await.until(condition, WAIT, what);
  }
}
