package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
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
 * The SIP gateway of a real node, driven by the JAIN-SIP CPM client over TCP, with the MSRP
 * endpoint and the SMSC simulator behind it: accept, reject, invite by SMS answered by SMS,
 * CANCEL, BYE both ways, re-INVITE, OPTIONS, MESSAGE, bad INVITEs and an untrusted peer; every
 * response carries the CPM identifiers byte for byte.
 */
class SipGatewayIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String IDS = "Conversation-ID: Conv-0b20864a.5569=AbC\r\n"
      + "Contribution-ID: Contr-ec1d9638-F7CD\r\n"
      + "InReplyTo-Contribution-ID: Reply-To-77aa\r\n";
  private static final String CPM_TAGS = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
  private static final AtomicInteger USERS = new AtomicInteger(300);

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static CpmClient client;
  private static int sipPort;

  @BeforeAll
  static void start() throws Exception {
    edges = EdgeNode.start(SimulatorOptions.defaults().withReceipts(Duration.ofMillis(50), 1.0),
        Map.of(), new Properties());
    smsc = edges.smsc;
    node = edges.node;
    sipPort = edges.sipPort;
    client = new CpmClient("127.0.0.1", freePort(), CPM);
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

  private static String smsUser(InvitationAction preference) throws Exception {
    String user = "+4477009" + (10000 + USERS.incrementAndGet());
    if (preference != null) {
      org.ipsmgw.EdgeNode.prefer(node, user, preference);
    }
    return user;
  }

  private static CpmClient.Call invite(String smsUser) throws Exception {
    return client.invite("127.0.0.1", sipPort, smsUser, IDS + CPM_TAGS, client.offer("actpass"));
  }

  private static void assertIds(javax.sip.message.Message m) {
    assertEquals("Conv-0b20864a.5569=AbC", value(m, "Conversation-ID"));
    assertEquals("Contr-ec1d9638-F7CD", value(m, "Contribution-ID"));
    assertEquals("Reply-To-77aa", value(m, "InReplyTo-Contribution-ID"));
  }

  private static String value(javax.sip.message.Message m, String name) {
    javax.sip.header.Header h = m.getHeader(name);
    return h == null ? null : SipText.value(h);
  }

  private static void assertCpmContact(Response r) {
    assertTrue(value(r, "Contact").contains(Cpm.SESSION_TAG), value(r, "Contact"));
  }

  @Test
  void acceptedChatGets200WithAnMsrpAnswerAndCarriesMessagesToSms() throws Exception {
    String user = smsUser(InvitationAction.ACCEPT);
    CpmClient.Call call = invite(user);
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    assertIds(ok);
    assertCpmContact(ok);
    String sdp = new String(ok.getRawContent(), StandardCharsets.UTF_8);
    assertTrue(sdp.contains("m=message " + node.msrpPort() + " TCP/MSRP *"), sdp);
    assertTrue(sdp.contains("a=accept-types:message/cpim"), sdp);
    assertTrue(sdp.contains("a=accept-wrapped-types:"), sdp);
    assertTrue(sdp.contains("a=setup:passive"), sdp);
    String path = sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst().orElseThrow();
    String secret = path.substring(path.lastIndexOf('.') + 1, path.indexOf(";tcp"));
    assertTrue(secret.length() * 4 >= 80, "at least 80 random bits: " + secret);
    client.ack(call, ok);

    try (MsrpClient msrp = client.connectMsrp(ok)) {
      String pathUri = path.substring("a=path:".length()).trim();
      byte[] cpim = ("From: <sip:" + CPM + "@ims.example>\r\nTo: <tel:" + user + ">\r\n"
          + "DateTime: 2026-11-24T12:00:00Z\r\n\r\nContent-Type: text/plain\r\n\r\nHello SMS")
          .getBytes(StandardCharsets.UTF_8);
      msrp.send(MsrpWriter.send("tx-sip-1", pathUri, client.msrpUri(), "m1",
          ByteRange.whole(cpim.length), false, null, "message/cpim", cpim, '$'));
      assertEquals(200, msrp.responseTo("tx-sip-1", WAIT).status());
    }
    ReceivedSubmit sms = awaitSubmit(user);
    assertEquals(CPM.substring(1), sms.source());
    assertEquals("Hello SMS", Gsm7Alphabet.decode(sms.shortMessage(), 0,
        sms.shortMessage().length));

    client.inDialog(call, ok, Request.BYE, null);
    Response byeOk = client.awaitFinal(call, WAIT);
    assertEquals(200, byeOk.getStatusCode());
    assertIds(byeOk);
  }

  @Test
  void passiveOfferMakesTheGatewayConnectToTheClientsPath() throws Exception {
    String user = smsUser(InvitationAction.ACCEPT);
    try (CpmClient passive = new CpmClient("127.0.0.1", freePort(), CPM)) {
      CpmClient.Call call = passive.invite("127.0.0.1", sipPort, user, IDS + CPM_TAGS,
          passive.passiveOffer());
      Response ok = passive.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode());
      assertTrue(new String(ok.getRawContent(), StandardCharsets.UTF_8)
          .contains("a=setup:active"));
      passive.ack(call, ok);
      try (MsrpClient msrp = passive.acceptMsrp(WAIT)) {
        org.ipsmgw.msrp.MsrpFrame bind = msrp.nextRequest(WAIT);
        assertEquals("SEND", bind.method());
        assertEquals(0, bind.body().length, "the empty SEND of RFC 6135");
        assertEquals(List.of(passive.msrpUri()), bind.path("To-Path"));
        msrp.send(MsrpWriter.response(bind, passive.msrpUri(), 200, "OK"));
        String gatewayPath = bind.path("From-Path").get(0);
        byte[] cpim = ("From: <sip:" + CPM + "@ims.example>\r\nTo: <tel:" + user + ">\r\n"
            + "\r\nContent-Type: text/plain\r\n\r\nOver the active leg")
            .getBytes(StandardCharsets.UTF_8);
        msrp.send(MsrpWriter.send("tx-active", gatewayPath, passive.msrpUri(), "m-act",
            ByteRange.whole(cpim.length), false, null, "message/cpim", cpim, '$'));
        assertEquals(200, msrp.responseTo("tx-active", WAIT).status());
      }
      ReceivedSubmit sms = awaitSubmit(user);
      assertEquals("Over the active leg", Gsm7Alphabet.decode(sms.shortMessage(), 0,
          sms.shortMessage().length));
    }
  }

  @Test
  void inAUdpDialogTheGatewaysByeCarriesAUdpContact() throws Exception {
    String user = smsUser(InvitationAction.ACCEPT);
    try (CpmClient udp = new CpmClient("127.0.0.1", freePort(), CPM, "udp")) {
      CpmClient.Call call = udp.invite("127.0.0.1", sipPort, user, IDS + CPM_TAGS,
          udp.offer("actpass"));
      Response ok = udp.awaitFinal(call, WAIT);
      udp.ack(call, ok);
      ClusterSharding.get(node.system())
          .entityRefFor(org.ipsmgw.session.ChatSession.TYPE_KEY, call.callId())
          .<org.ipsmgw.session.CommandReply>ask(
              r -> new org.ipsmgw.session.ChatSessionCommand.End("test", r), WAIT)
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
      Request bye = udp.awaitRequest(WAIT);
      assertEquals(Request.BYE, bye.getMethod());
      assertTrue(value(bye, "Contact").contains("transport=udp"), value(bye, "Contact"));
      assertTrue(value(bye, "Via").startsWith("SIP/2.0/UDP"), value(bye, "Via"));
    }
  }

  @Test
  void rejectedChatGetsTheConfiguredFinalAndNoSms() throws Exception {
    String user = smsUser(InvitationAction.REJECT);
    CpmClient.Call call = invite(user);
    Response r = client.awaitFinal(call, WAIT);
    assertEquals(603, r.getStatusCode());
    assertIds(r);
    // The positive marker: an SMS the gateway does send, the invitation of a chat started after
    // the 603. A chat hands its SMS to the SMPP edge in the same step as its response (after
    // one persist), so an SMS of the rejected chat would have been handed over before the 603
    // left; the marker chat still has its own INVITE to read and persist before its SMS.
    String marker = smsUser(null);
    invite(marker);
    awaitSubmit(marker);
    assertEquals(List.of(), smsc.submits().stream()
        .filter(s -> s.destination().equals(user.substring(1))).toList(),
        "no SMS to the user who rejected the chat");
  }

  @Test
  void inviteBySmsRingsThenTheSmsReplyAcceptsAndTheStopKeywordSendsBye() throws Exception {
    String user = smsUser(null);
    CpmClient.Call call = invite(user);
    Response ringing = client.awaitResponse(call, WAIT);
    while (ringing.getStatusCode() == 100) {
      assertIds(ringing);
      ringing = client.awaitResponse(call, WAIT);
    }
    assertEquals(180, ringing.getStatusCode());
    assertIds(ringing);
    assertCpmContact(ringing);
    ReceivedSubmit invitation = awaitSubmit(user);
    assertTrue(Gsm7Alphabet.decode(invitation.shortMessage(), 0,
        invitation.shortMessage().length).contains("invites you to chat"));
    assertEquals(List.of(0), smsc.injectMo(user, "+" + invitation.source(), "YES"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    assertIds(ok);
    client.ack(call, ok);

    assertEquals(List.of(0), smsc.injectMo(user, "+" + invitation.source(), "STOP"));
    Request bye = client.awaitRequest(WAIT);
    assertEquals(Request.BYE, bye.getMethod());
    assertIds(bye);
    assertEquals(Cpm.SESSION_ICSI, value(bye, Cpm.P_ASSERTED_SERVICE));
    assertTrue(value(bye, "Accept-Contact").contains(Cpm.SESSION_TAG));
  }

  @Test
  void cancelWhileWaitingGets487AndTheCancel200() throws Exception {
    String user = smsUser(null);
    CpmClient.Call call = invite(user);
    Response ringing = client.awaitResponse(call, WAIT);
    while (ringing.getStatusCode() < 180) {
      ringing = client.awaitResponse(call, WAIT);
    }
    client.cancel(call);
    boolean cancelOk = false;
    boolean terminated = false;
    while (!(cancelOk && terminated)) {
      Response r = client.awaitResponse(call, WAIT);
      String method = ((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod();
      if (method.equals(Request.CANCEL)) {
        assertEquals(200, r.getStatusCode());
        assertIds(r);
        cancelOk = true;
      } else if (r.getStatusCode() >= 200) {
        assertEquals(487, r.getStatusCode());
        assertIds(r);
        terminated = true;
      }
    }
  }

  @Test
  void reInviteGetsThePathAgain() throws Exception {
    String user = smsUser(InvitationAction.ACCEPT);
    CpmClient.Call call = invite(user);
    Response ok = client.awaitFinal(call, WAIT);
    client.ack(call, ok);
    String moved = "sip:" + CPM + "@127.0.0.1:5099;transport=tcp;moved=yes";
    client.inDialog(call, ok, Request.INVITE, client.offer("active"), moved);
    Response again = client.awaitFinal(call, WAIT);
    assertEquals(200, again.getStatusCode());
    assertIds(again);
    org.ipsmgw.session.ChatSessionState state = ClusterSharding.get(node.system())
        .entityRefFor(org.ipsmgw.session.ChatSession.TYPE_KEY, call.callId())
        .<org.ipsmgw.session.ChatSessionState>ask(org.ipsmgw.session.ChatSessionCommand.Get::new,
            WAIT).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertEquals(moved, ((org.ipsmgw.session.Active) state).invitation().sip().remoteTarget(),
        "target refreshed from the re-INVITE's Contact");
    String path = new String(again.getRawContent(), StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("a=path:")).findFirst().orElseThrow();
    assertTrue(new String(ok.getRawContent(), StandardCharsets.UTF_8).contains(path));
  }

  @Test
  void optionsAnswersWithAllowAndTheFeatureTag() throws Exception {
    CpmClient.Call call = client.outOfDialog(Request.OPTIONS, "127.0.0.1", sipPort,
        "+447700900999", null);
    Response r = client.awaitFinal(call, WAIT);
    assertEquals(200, r.getStatusCode());
    List<String> allowed = SipText.values(r, "Allow");
    assertTrue(String.join(",", allowed).contains("INVITE"), allowed.toString());
    assertTrue(String.join(",", allowed).contains("BYE"), allowed.toString());
    assertTrue(String.join(",", SipText.values(r, "Accept")).contains("message/cpim"));
    assertCpmContact(r);
  }

  @Test
  void metricsCountRequestsByMethodAndResponsesByCode() throws Exception {
    String requests = "ipsmgw_sip_requests_total{method=\"INVITE\"}";
    String rejected = "ipsmgw_sip_responses_total{code=\"603\",method=\"INVITE\"}";
    double requestsBefore = metric(requests);
    double rejectedBefore = metric(rejected);
    CpmClient.Call call = invite(smsUser(InvitationAction.REJECT));
    assertEquals(603, client.awaitFinal(call, WAIT).getStatusCode());
    assertEquals(requestsBefore + 1, metric(requests));
    assertEquals(rejectedBefore + 1, metric(rejected));
  }

  private static double metric(String series) throws Exception {
    return org.ipsmgw.Scrape.value(node.adminPort(), series);
  }


  @Test
  void aMessageWithoutTheCpmStandaloneTagIsRefused() throws Exception {
    CpmClient.Call call = client.outOfDialog(Request.MESSAGE, "127.0.0.1", sipPort,
        "+447700900999", "hi");
    Response r = client.awaitFinal(call, WAIT);
    assertEquals(488, r.getStatusCode());
    assertEquals("Not a CPM standalone message", r.getReasonPhrase());
  }

  @Test
  void badInvitesGetTheirFinalError() throws Exception {
    String user = smsUser(InvitationAction.ACCEPT);
    CpmClient.Call noTag = client.invite("127.0.0.1", sipPort, user, IDS,
        client.offer("actpass"));
    Response refused = client.awaitFinal(noTag, WAIT);
    assertEquals(488, refused.getStatusCode());
    assertIds(refused);
    CpmClient.Call noMsrp = client.invite("127.0.0.1", sipPort, user, IDS + CPM_TAGS,
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n");
    assertEquals(488, client.awaitFinal(noMsrp, WAIT).getStatusCode());
    CpmClient.Call noIds = client.invite("127.0.0.1", sipPort, user, CPM_TAGS,
        client.offer("actpass"));
    Response missing = client.awaitFinal(noIds, WAIT);
    assertEquals(400, missing.getStatusCode());
    assertTrue(missing.getReasonPhrase().contains("Conversation-ID"), missing.getReasonPhrase());
  }

  @Test
  void unanswerableRequestClosesItsConnectionAndTheGatewayServesOn() throws Exception {
    try (java.net.Socket raw = new java.net.Socket(InetAddress.getLoopbackAddress(), sipPort)) {
      raw.setSoTimeout((int) WAIT.toMillis());
      raw.getOutputStream().write(("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP "
          + "127.0.0.1:5999;branch=z9hG4bKbad\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n"
          + "To: <sip:x@127.0.0.1>\r\nCall-ID: bad-cseq\r\nCSeq: abc OPTIONS\r\n"
          + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertEquals(-1, raw.getInputStream().read(), "no answer possible: connection closed");
    }
    CpmClient.Call call = client.outOfDialog(Request.OPTIONS, "127.0.0.1", sipPort,
        "+447700900999", null);
    assertEquals(200, client.awaitFinal(call, WAIT).getStatusCode());
  }

  @Test
  void untrustedPeerIsRefused403() throws Exception {
    try (CpmClient stranger = new CpmClient("127.0.0.2", freePort(), "+447700900444")) {
      CpmClient.Call call = stranger.invite("127.0.0.1", sipPort, "+447700900777",
          IDS + CPM_TAGS, stranger.offer("actpass"));
      assertEquals(403, stranger.awaitFinal(call, WAIT).getStatusCode());
    }
  }

  private static ReceivedSubmit awaitSubmit(String user) throws Exception {
    awaitTrue(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(
        user.substring(1)) && s.accepted()), "an SMS to " + user);
    return smsc.submits().stream().filter(s -> s.destination().equals(user.substring(1)))
        .findFirst().orElseThrow();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    org.ipsmgw.Await.until(condition, WAIT, what);
  }


  private static int freePort() throws IOException {
    return org.ipsmgw.TestPorts.free();
  }
}
