package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.LogCapture;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.Active;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.Parties;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.session.SipResponse;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's MSRP endpoint over real TCP: binding a connection to its chat, SEND → chat message →
 * SMS, chunking, responses and REPORTs exactly as the flags ask, 413/415/481, garbage answered 400
 * without harm to the connection, and the chat's messages and IMDNs sent back as CPIM.
 */
class MsrpEndpointIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CLIENT = "msrp://127.0.0.1:7394/client1;tcp";
  private static final AtomicInteger USERS = new AtomicInteger(200);

  private static EdgeNode edges;
  private static RunningNode node;
  private static final RecordingPorts RECORDED = new RecordingPorts();

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    p.setProperty("ipsmgw.smsc.enabled", "off");
    p.setProperty("ipsmgw.msrp.max-message-size", "8k");
    edges = EdgeNode.builder().noSimulator().properties(p).ports(RECORDED::sipAndSms).start();
    node = edges.node;
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  private record Chat(String id, String smsUser, String path) {}

  private static Chat activeChat() throws Exception {
    String smsUser = "+4477009" + (10000 + USERS.incrementAndGet());
    String id = "msrp-it-" + smsUser.substring(1) + "@127.0.0.1";
    Invitation t = SessionFixtures.invitation(id);
    Invitation inv = new Invitation(id, t.ids(), new Parties(t.parties().cpmIdentity(),
        SessionFixtures.CPM_MSISDN, "Alice", smsUser), t.sip(), t.sdpOffer(), false,
        Instant.now());
    CommandReply r = entity(id).<CommandReply>ask(reply -> new ChatSessionCommand.Invite(inv,
        reply), WAIT).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertTrue(r instanceof CommandReply.Accepted);
    SipResponse ok = RECORDED.await(id, SipResponse.class, WAIT);
    assertEquals(200, ok.status());
    entity(id).tell(new ChatSessionCommand.AckReceived());
    return new Chat(id, smsUser, new MsrpPathId(id, ok.msrpSessionId())
        .uri("127.0.0.1", node.msrpPort()));
  }

  private static EntityRef<ChatSessionCommand> entity(String id) {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id);
  }

  private static final AtomicInteger TX = new AtomicInteger(1000);

  private static String tx() {
    return "tx" + TX.incrementAndGet();
  }

  private static byte[] cpimText(String text, String imdnId, String disposition) {
    String headers = "From: <sip:+447700900555@ims.example>\r\nTo: <tel:+447700900777>\r\n"
        + "DateTime: 2026-11-24T12:00:00Z\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: " + imdnId + "\r\n"
        + (disposition == null ? "" : "imdn.Disposition-Notification: " + disposition + "\r\n");
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return (headers + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: "
        + body.length + "\r\n\r\n" + text).getBytes(StandardCharsets.UTF_8);
  }

  private static MsrpFrame send(Chat chat, String tid, String messageId, byte[] body,
      String contentType, boolean successReport, String failureReport) {
    return MsrpWriter.send(tid, chat.path(), CLIENT, messageId, ByteRange.whole(body.length),
        successReport, failureReport, contentType, body, '$');
  }

  private static MsrpClient bound(Chat chat) throws Exception {
    MsrpClient c = new MsrpClient("127.0.0.1", node.msrpPort(), CLIENT);
    String tid = tx();
    c.send(MsrpWriter.send(tid, chat.path(), CLIENT, "bind-" + tid, ByteRange.whole(0), false,
        null, "text/plain", new byte[0], '$'));
    MsrpFrame ok = c.responseTo(tid, WAIT);
    assertEquals(200, ok.status());
    assertEquals(List.of(CLIENT), ok.path("To-Path"), "To-Path = the SEND's first From-Path");
    assertEquals(List.of(chat.path()), ok.path("From-Path"));
    return c;
  }

  @Test
  void cpimTextBecomesAnSmsAndIsAnsweredAfterItIsPersisted() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String tid = tx();
      c.send(send(chat, tid, "m-1", cpimText("Hello from CPM", "imdn-1", "positive-delivery"),
          "message/cpim", true, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      MsrpFrame report = c.nextRequest(WAIT);
      assertEquals("REPORT", report.method());
      assertEquals("000 200 OK", report.header("Status").orElseThrow());
      assertEquals("m-1", report.messageId().orElseThrow());
      SmsSubmission sms = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      assertEquals("Hello from CPM", sms.text());
      assertEquals(ReceiptRequest.SUCCESS_AND_FAILURE, sms.receipt());
      assertEquals(chat.smsUser(), sms.destination());
    }
  }

  @Test
  void chunkedMessageIsJoinedAndEachChunkAnswered() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      byte[] body = cpimText("one two three four five six", "imdn-c", null);
      int third = body.length / 3;
      String[] tids = {tx(), tx(), tx()};
      int[][] ranges = {{0, third}, {third, 2 * third}, {2 * third, body.length}};
      for (int i = 0; i < 3; i++) {
        byte[] part = java.util.Arrays.copyOfRange(body, ranges[i][0], ranges[i][1]);
        c.send(MsrpWriter.send(tids[i], chat.path(), CLIENT, "m-chunked",
            new ByteRange(ranges[i][0] + 1, ranges[i][1], body.length), false, null,
            "message/cpim", part, i == 2 ? '$' : '+'));
      }
      for (String tid : tids) {
        assertEquals(200, c.responseTo(tid, WAIT).status());
      }
      assertEquals("one two three four five six",
          RECORDED.await(chat.id(), SmsSubmission.class, WAIT).text());
    }
  }

  @Test
  void unknownSessionsAre481() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = new MsrpClient("127.0.0.1", node.msrpPort(), CLIENT)) {
      String wrongSecret = new MsrpPathId(chat.id(), "00000000000000000000000000000000")
          .uri("127.0.0.1", node.msrpPort());
      String tid = tx();
      c.send(MsrpWriter.send(tid, wrongSecret, CLIENT, "m-x", ByteRange.whole(2), false, null,
          "text/plain", "hi".getBytes(StandardCharsets.UTF_8), '$'));
      assertEquals(481, c.responseTo(tid, WAIT).status());
      String tid2 = tx();
      c.send(MsrpWriter.send(tid2, "msrp://127.0.0.1:1/not-ours;tcp", CLIENT, "m-y",
          ByteRange.whole(2), false, null, "text/plain", "hi".getBytes(StandardCharsets.UTF_8),
          '$'));
      assertEquals(481, c.responseTo(tid2, WAIT).status());
    }
  }

  @Test
  void unsupportedTypeIs415AndOversizeIs413() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String png = tx();
      c.send(send(chat, png, "m-png", new byte[] {1, 2, 3}, "image/png", false, null));
      assertEquals(415, c.responseTo(png, WAIT).status());
      String big = tx();
      byte[] huge = new byte[9000];
      java.util.Arrays.fill(huge, (byte) 'x');
      c.send(send(chat, big, "m-big", huge, "text/plain", false, null));
      assertEquals(413, c.responseTo(big, WAIT).status());
      String longText = tx();
      c.send(send(chat, longText, "m-long", cpimText("y".repeat(153 * 11), "i-l", null),
          "message/cpim", false, null));
      assertEquals(413, c.responseTo(longText, WAIT).status(), "more SMS parts than policy allows");
    }
  }

  @Test
  void failureReportNoGetsNoResponseAndPartialGetsNo200() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      c.send(send(chat, tx(), "m-no", cpimText("quiet", "i-no", null), "message/cpim", false,
          "no"));
      c.send(send(chat, tx(), "m-partial", cpimText("quiet too", "i-p", null), "message/cpim",
          false, "partial"));
      String partialError = tx();
      c.send(send(chat, partialError, "m-p415", new byte[] {1}, "image/png", false, "partial"));
      MsrpFrame first = c.next(WAIT);
      assertEquals(partialError, first.transactionId(), "only the error was answered");
      assertEquals(415, first.status());
      assertEquals("quiet", RECORDED.await(chat.id(), SmsSubmission.class, WAIT).text());
      assertEquals("quiet too", RECORDED.await(chat.id(), SmsSubmission.class, WAIT).text());
    }
  }

  @Test
  void isComposingIsAnsweredAndNeverBecomesSms() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String tid = tx();
      c.send(send(chat, tid, "m-typing", ("<?xml version='1.0'?><isComposing xmlns="
          + "'urn:ietf:params:xml:ns:im-iscomposing'><state>active</state></isComposing>")
          .getBytes(StandardCharsets.UTF_8), "application/im-iscomposing+xml", false, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      String text = tx();
      c.send(send(chat, text, "m-after", cpimText("after typing", "i-a", null), "message/cpim",
          false, null));
      assertEquals(200, c.responseTo(text, WAIT).status());
      assertEquals("after typing", RECORDED.await(chat.id(), SmsSubmission.class, WAIT).text(),
          "the first SMS is the text, not the isComposing");
    }
  }

  @Test
  void garbageIsAnswered400AndTheConnectionKeepsWorking() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      c.sendRaw("MSRP junk1234 SEND\r\nthis is not a header\r\n-------junk1234$\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertEquals(400, c.responseTo("junk1234", WAIT).status());
      String tid = tx();
      c.send(send(chat, tid, "m-ok", cpimText("still fine", "i-ok", null), "message/cpim",
          false, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
    }
  }

  @Test
  void aPeerSendingGarbageGetsEach400ButOnlyTheFirstRefusalsReachTheLogCutShort()
      throws Exception {
    Chat chat = activeChat();
    String payload = "PAYLOADMARK".repeat(300);
    try (MsrpClient c = bound(chat); LogCapture log = LogCapture.attach()) {
      for (int i = 0; i < 50; i++) {
        String junk = "junk" + i + "x";
        c.sendRaw(("MSRP " + junk + " SEND\r\n" + payload + "\r\n-------" + junk + "$\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, c.responseTo(junk, WAIT).status());
      }
      // The marker: a good SEND after the garbage is answered, so every refusal was handled.
      String tid = tx();
      c.send(send(chat, tid, "m-after", cpimText("after the garbage", "i-after", null),
          "message/cpim", false, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      List<LogCapture.Line> lines = log.lines().stream()
          .filter(l -> l.logger().startsWith("org.ipsmgw.msrp")).toList();
      long refusals = lines.stream().filter(l -> l.text().contains("answered 400")).count();
      assertEquals(10, refusals, "the first 10 refusals of the connection, then silence");
      assertTrue(lines.stream().anyMatch(l -> l.text().contains("further ones on this connection"
          + " are not logged")), "the operator is told the rest are not logged");
      assertTrue(lines.stream().allMatch(l -> l.text().length() < 400), "every line bounded");
      assertFalse(log.contains("PAYLOADMARK".repeat(10)), "no long run of the peer's bytes");
    }
  }

  @Test
  void reportsAreNeverAnswered() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      c.send(MsrpWriter.report("rep12345", chat.path(), CLIENT, "m-any", ByteRange.whole(5), 200,
          "OK"));
      String tid = tx();
      c.send(send(chat, tid, "m-after-report", cpimText("next", "i-n", null), "message/cpim",
          false, null));
      MsrpFrame first = c.next(WAIT);
      assertEquals(tid, first.transactionId(), "the REPORT got no response");
    }
  }

  @Test
  void garbageOnOneConnectionLeavesAnotherSessionUntouched() throws Exception {
    Chat first = activeChat();
    Chat second = activeChat();
    try (MsrpClient a = bound(first); MsrpClient b = bound(second)) {
      a.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String tid = tx();
      b.send(send(second, tid, "m-other", cpimText("unharmed", "i-u", null), "message/cpim",
          false, null));
      assertEquals(200, b.responseTo(tid, WAIT).status());
      assertEquals("unharmed", RECORDED.await(second.id(), SmsSubmission.class, WAIT).text());
    }
  }

  /**
   * RFC 4975 lets sessions share a connection; a CPM server in front of many users does. The
   * idle-chat measurement at 100,000 chats relies on it (load-tests/idle-chats.sh
   * --per-connection).
   */
  @Test
  void twoChatsOnOneConnectionEachGetTheirOwnMessagesBothWays() throws Exception {
    Chat first = activeChat();
    Chat second = activeChat();
    try (MsrpClient c = bound(first)) {
      String bindTid = tx();
      c.send(MsrpWriter.send(bindTid, second.path(), CLIENT, "bind-" + bindTid,
          ByteRange.whole(0), false, null, "text/plain", new byte[0], '$'));
      MsrpFrame bound = c.responseTo(bindTid, WAIT);
      assertEquals(200, bound.status());
      assertEquals(List.of(second.path()), bound.path("From-Path"));

      String toSecond = tx();
      c.send(send(second, toSecond, "m-2nd", cpimText("for the second", "i-2nd", null),
          "message/cpim", false, null));
      assertEquals(200, c.responseTo(toSecond, WAIT).status());
      String toFirst = tx();
      c.send(send(first, toFirst, "m-1st", cpimText("for the first", "i-1st", null),
          "message/cpim", false, null));
      assertEquals(200, c.responseTo(toFirst, WAIT).status());
      assertEquals("for the second", RECORDED.await(second.id(), SmsSubmission.class, WAIT)
          .text());
      assertEquals("for the first", RECORDED.await(first.id(), SmsSubmission.class, WAIT)
          .text());

      smsFromUser(second, "reply from the second");
      MsrpFrame back = c.nextRequest(WAIT);
      assertEquals(List.of(second.path()), back.path("From-Path"),
          "the second chat's reply comes from its own path on the shared connection");
      CpimMessage cpim = CpimCodec.parse(back.body());
      assertEquals("<tel:" + second.smsUser() + ">", cpim.header("From").orElseThrow());
      assertEquals("reply from the second", cpim.bodyText());
      c.send(MsrpWriter.response(back, CLIENT, 200, "OK"));
    }
  }

  @Test
  void sendFromAnotherPeerOnABoundSessionIs403() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String tid = tx();
      byte[] body = cpimText("spoofed", "i-s", null);
      c.send(MsrpWriter.send(tid, chat.path(), "msrp://127.0.0.1:7395/intruder;tcp", "m-s",
          ByteRange.whole(body.length), false, null, "message/cpim", body, '$'));
      assertEquals(403, c.responseTo(tid, WAIT).status());
    }
  }

  @Test
  void smsUsersTextAndReceiptsComeBackAsCpimOverTheBoundConnection() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      CommandReply r = entity(chat.id()).<CommandReply>ask(reply ->
          new ChatSessionCommand.SmsFromUser("Hi Alice 😀", Instant.parse(
              "2026-11-24T12:00:00Z"), reply), WAIT).toCompletableFuture().get(15,
          TimeUnit.SECONDS);
      assertTrue(r instanceof CommandReply.Accepted);
      MsrpFrame send = c.nextRequest(WAIT);
      assertEquals("SEND", send.method());
      assertEquals(List.of(CLIENT), send.path("To-Path"));
      CpimMessage cpim = CpimCodec.parse(send.body());
      assertEquals("<tel:" + chat.smsUser() + ">", cpim.header("From").orElseThrow());
      assertEquals("Hi Alice 😀", cpim.bodyText());
      assertTrue(cpim.imdnMessageId().isPresent());
      c.send(MsrpWriter.response(send, CLIENT, 200, "OK"));

      String tid = tx();
      c.send(send(chat, tid, "m-dlr", cpimText("receipt please", "imdn-dlr",
          "positive-delivery"), "message/cpim", false, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      SmsSubmission sms = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      entity(chat.id()).tell(new ChatSessionCommand.SmsSubmitted(sms.messageRef(),
          List.of("smsc-1")));
      entity(chat.id()).tell(new ChatSessionCommand.DeliveryReport("smsc-1", true));
      MsrpFrame notice = c.nextRequest(WAIT);
      CpimMessage imdnCpim = CpimCodec.parse(notice.body());
      assertEquals(ImdnXml.CONTENT_TYPE, imdnCpim.contentType());
      Imdn imdn = ImdnXml.parse(imdnCpim.bodyText());
      assertEquals("imdn-dlr", imdn.messageId());
      assertEquals("delivered", imdn.status());
    }
  }

  @Test
  void anSmsThatFailsAfterThe200GetsAFailureReportUnlessReportsWereRefused() throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String tid = tx();
      c.send(send(chat, tid, "m-fail", cpimText("doomed", "imdn-f", null), "message/cpim", false,
          null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      SmsSubmission sms = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      assertEquals(ReceiptRequest.FAILURE_ONLY, sms.receipt());
      entity(chat.id()).tell(new ChatSessionCommand.SmsSubmitFailed(sms.messageRef(),
          "ESME_RINVDSTADR"));
      MsrpFrame report = c.nextRequest(WAIT);
      assertEquals("REPORT", report.method());
      assertEquals("m-fail", report.header("Message-ID").orElseThrow());
      assertTrue(report.header("Status").orElseThrow().startsWith("000 403"),
          report.header("Status").orElseThrow());
      assertTrue(report.header("Byte-Range").isPresent());

      String quiet = tx();
      c.send(send(chat, quiet, "m-quiet", cpimText("doomed too", "imdn-q", null),
          "message/cpim", false, "no"));
      // A later SEND of the same chat is answered after the quiet one was: its 200 comes first.
      String marker = tx();
      c.send(send(chat, marker, "m-marker", cpimText("doomed last", "imdn-m", null),
          "message/cpim", false, null));
      assertEquals(marker, c.next(WAIT).transactionId(), "Failure-Report: no gets no 200");
      SmsSubmission second = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      assertEquals(ReceiptRequest.NONE, second.receipt());
      SmsSubmission last = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      entity(chat.id()).tell(new ChatSessionCommand.SmsSubmitFailed(second.messageRef(),
          "ESME_RINVDSTADR"));
      entity(chat.id()).tell(new ChatSessionCommand.SmsSubmitFailed(last.messageRef(),
          "ESME_RINVDSTADR"));
      // The chat's notices leave in order: the later message's REPORT is the next frame.
      MsrpFrame next = c.next(WAIT);
      assertEquals("REPORT", next.method());
      assertEquals("m-marker", next.header("Message-ID").orElseThrow(),
          "and no failure REPORT for the quiet one before it");
    }
  }

  @Test
  void anInterworkingRequestIsAnsweredWithTheLegacySmsNoticeAndNothingElseIsInvented()
      throws Exception {
    Chat chat = activeChat();
    try (MsrpClient c = bound(chat)) {
      String tid = tx();
      c.send(send(chat, tid, "m-iw", cpimText("where are you?", "imdn-iw",
          "display, interworking"), "message/cpim", false, null));
      assertEquals(200, c.responseTo(tid, WAIT).status());
      MsrpFrame notice = c.nextRequest(WAIT);
      c.send(MsrpWriter.response(notice, CLIENT, 200, "OK"));
      CpimMessage cpim = CpimCodec.parse(notice.body());
      assertEquals(ImdnXml.CONTENT_TYPE, cpim.contentType());
      assertEquals("<tel:" + chat.smsUser() + ">", cpim.header("From").orElseThrow());
      Imdn imdn = ImdnXml.parse(cpim.bodyText());
      assertEquals("imdn-iw", imdn.messageId());
      assertEquals(Imdn.Kind.INTERWORKING, imdn.kind());
      assertEquals("legacy-sms", imdn.status());
      assertEquals("where are you?",
          RECORDED.await(chat.id(), SmsSubmission.class, WAIT).text());
      // The SMS user's next message reaches the CPM user after anything the chat sent before.
      CommandReply r = entity(chat.id()).<CommandReply>ask(reply ->
          new ChatSessionCommand.SmsFromUser("here", Instant.now(), reply), WAIT)
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertTrue(r instanceof CommandReply.Accepted);
      MsrpFrame next = c.next(WAIT);
      assertEquals("SEND", next.method());
      assertEquals("here", CpimCodec.parse(next.body()).bodyText(),
          "no display notification is fabricated for an SMS user");
    }
  }

  private static void smsFromUser(Chat chat, String text) throws Exception {
    CommandReply r = entity(chat.id()).<CommandReply>ask(reply ->
        new ChatSessionCommand.SmsFromUser(text, Instant.now(), reply), WAIT)
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertTrue(r instanceof CommandReply.Accepted, String.valueOf(r));
  }

  private static Active state(Chat chat) throws Exception {
    return (Active) entity(chat.id()).<org.ipsmgw.session.ChatSessionState>ask(
        ChatSessionCommand.Get::new, WAIT).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatReconnectsGetsWhatItWasOwedMeanwhileExactlyOnceAndInOrder() throws Exception {
    Chat chat = activeChat();
    MsrpFrame unanswered;
    try (MsrpClient first = bound(chat)) {
      String tid = tx();
      first.send(send(chat, tid, "m-owed", cpimText("tell me when", "imdn-owed",
          "positive-delivery"), "message/cpim", false, null));
      assertEquals(200, first.responseTo(tid, WAIT).status());
      SmsSubmission sms = RECORDED.await(chat.id(), SmsSubmission.class, WAIT);
      entity(chat.id()).tell(new ChatSessionCommand.SmsSubmitted(sms.messageRef(),
          List.of("smsc-owed")));
      // The SMS user's message reaches the client, which drops the connection before its 200.
      smsFromUser(chat, "one");
      unanswered = first.nextRequest(WAIT);
      assertEquals("one", CpimCodec.parse(unanswered.body()).bodyText());
    }
    // With no connection: the receipt that owes the client its IMDN, and another message.
    entity(chat.id()).tell(new ChatSessionCommand.DeliveryReport("smsc-owed", true));
    smsFromUser(chat, "two");

    try (MsrpClient second = bound(chat)) {
      MsrpFrame again = second.nextRequest(WAIT);
      assertEquals("SEND", again.method());
      assertEquals("one", CpimCodec.parse(again.body()).bodyText());
      assertEquals(unanswered.messageId(), again.messageId(), "the same MSRP Message-ID");
      assertEquals(CpimCodec.parse(unanswered.body()).imdnMessageId(),
          CpimCodec.parse(again.body()).imdnMessageId(), "the same imdn.Message-ID");
      second.send(MsrpWriter.response(again, CLIENT, 200, "OK"));

      MsrpFrame notice = second.nextRequest(WAIT);
      Imdn imdn = ImdnXml.parse(CpimCodec.parse(notice.body()).bodyText());
      assertEquals("imdn-owed", imdn.messageId());
      assertEquals("delivered", imdn.status());
      second.send(MsrpWriter.response(notice, CLIENT, 200, "OK"));

      MsrpFrame two = second.nextRequest(WAIT);
      assertEquals("two", CpimCodec.parse(two.body()).bodyText());
      second.send(MsrpWriter.response(two, CLIENT, 200, "OK"));

      // The marker: a later message is the next request, so nothing owed came twice.
      smsFromUser(chat, "three");
      MsrpFrame three = second.nextRequest(WAIT);
      assertEquals("three", CpimCodec.parse(three.body()).bodyText(), "nothing came twice");
      second.send(MsrpWriter.response(three, CLIENT, 200, "OK"));
      org.ipsmgw.Await.until(() -> {
        try {
          Active a = state(chat);
          return a.translation().pending().isEmpty() && a.translation().notices().isEmpty();
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the client's 200s confirmed every message and the IMDN to the chat");
    }
  }
}
