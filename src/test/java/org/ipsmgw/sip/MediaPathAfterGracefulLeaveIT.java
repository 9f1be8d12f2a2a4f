package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.PreferenceView;
import org.ipsmgw.subscriber.SubscriberState;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.EndCause;
import org.ipsmgw.session.SessionSummary;
import org.junit.jupiter.api.Test;

/**
 * A chat outlives its node's graceful leave (stop(): coordinated shutdown, not a crash; the
 * kill -9 tests are node/ClusterKillIT and cluster/FailoverIT): the node that held the chat and
 * its MSRP connection stops, a node on other ports takes over from the same journal, the
 * recovered chat re-INVITEs the CPM client with the new node's MSRP path, the client reconnects,
 * and the SMS user's next message arrives over the new connection.
 */
class MediaPathAfterGracefulLeaveIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CPM = "+447700900555";
  private static final String USER = "+447700912345";

  private static int sipPort(RunningNode node) {
    return node.system().settings().config().getInt("ipsmgw.sip.port");
  }

  @Test
  void recoveredChatReInvitesAndTheNextMessageUsesTheNewConnection() throws Exception {
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      SmscSimulator smsc = edges.smsc;
      RunningNode first = edges.node;
      Response ok;
      try {
        ClusterSharding.get(first.system()).entityRefFor(SmsSubscriber.TYPE_KEY, USER)
            .<PreferenceView>ask(r -> new SmsSubscriberCommand.SetPreference(
                InvitationAction.ACCEPT, r), WAIT).toCompletableFuture().get(20, TimeUnit.SECONDS);
        CpmClient.Call call = client.invite("127.0.0.1", sipPort(first), USER,
            "Conversation-ID: conv-fo\r\nContribution-ID: contr-fo\r\nAccept-Contact: *;"
                + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
        ok = client.awaitFinal(call, WAIT);
        assertEquals(200, ok.getStatusCode());
        client.ack(call, ok);
        client.connectMsrp(ok).close();
      } finally {
        first.stop();
      }

      RunningNode second = edges.startAnother();
      try {
        Request reinvite = client.awaitRequest(WAIT);
        assertEquals(Request.INVITE, reinvite.getMethod());
        assertEquals("conv-fo", SipText.value(reinvite, Cpm.CONVERSATION_ID));
        String sdp = new String(reinvite.getRawContent(), StandardCharsets.UTF_8);
        assertTrue(sdp.contains(":" + second.msrpPort() + "/"), "the new node's path: " + sdp);
        assertAckedOver("TCP", client, reinvite);
        try (MsrpClient msrp = client.awaitReconnected(WAIT)) {
          assertEquals(List.of(0), smsc.injectMo(USER, CPM, "after failover"));
          MsrpFrame send = msrp.nextRequest(WAIT);
          assertEquals("SEND", send.method());
          assertEquals("after failover", CpimCodec.parse(send.body()).bodyText());
        }
      } finally {
        second.stop();
      }
    }
  }

  @Test
  void pendingInviteIsAnsweredStatelesslyByTheNodeThatTookOver() throws Exception {
    String user = "+447700912346";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      SmscSimulator smsc = edges.smsc;
      RunningNode first = edges.node;
      CpmClient.Call call;
      try {
        call = client.invite("127.0.0.1", sipPort(first), user,
            "Conversation-ID: conv-p\r\nContribution-ID: contr-p\r\nAccept-Contact: *;"
                + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
        Response ringing = client.awaitResponse(call, WAIT);
        while (ringing.getStatusCode() < 180) {
          ringing = client.awaitResponse(call, WAIT);
        }
        assertEquals(180, ringing.getStatusCode());
        awaitInvitationSms(smsc, user);
      } finally {
        first.stop();
      }
      RunningNode second = edges.startAnother();
      try {
        // The recovered invitation refreshes its 180 at once, from the new node, statelessly.
        assertEquals(180, client.awaitResponse(call, WAIT).getStatusCode());
        String correlation = "+" + smsc.submits().get(0).source();
        assertEquals(List.of(0), smsc.injectMo(user, correlation, "YES"));
        Response ok = client.awaitFinal(call, WAIT);
        assertEquals(200, ok.getStatusCode());
        assertEquals("conv-p", SipText.value(ok, Cpm.CONVERSATION_ID));
        assertTrue(SipText.value(ok, "Contact").contains(":" + sipPort(second) + ";"),
            "the new node's Contact: " + SipText.value(ok, "Contact"));
        client.ack(call, ok);
      } finally {
        second.stop();
      }
    }
  }

  /** A chat from {@code client} to {@code user} on the first node, accepted and ACKed. */
  private static CpmClient.Call establish(EdgeNode edges, CpmClient client, String user)
      throws Exception {
    EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
    CpmClient.Call call = client.invite("127.0.0.1", sipPort(edges.node), user,
        "Conversation-ID: conv-" + user + "\r\nContribution-ID: contr-fo\r\nAccept-Contact: *;"
            + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    awaitConfirmed(edges.node, call);
    return call;
  }

  /**
   * The chat has stored the ACK: a node stopped before that would leave a chat that still waits
   * for it, and with a short T1 ends it NO_ACK on the next node.
   */
  private static void awaitConfirmed(RunningNode node, CpmClient.Call call)
      throws InterruptedException {
    org.ipsmgw.Await.until(() -> {
      try {
        return ClusterSharding.get(node.system())
            .entityRefFor(ChatSession.TYPE_KEY, call.callId())
            .<org.ipsmgw.session.ChatSessionState>ask(ChatSessionCommand.Get::new, WAIT)
            .toCompletableFuture().get(20, TimeUnit.SECONDS)
            instanceof org.ipsmgw.session.Active a && a.confirmed();
      } catch (Exception e) {
        return false;
      }
    }, WAIT, "the dialog confirmed by the ACK");
  }

  /** The next request from the gateway that is not an ACK (a UDP re-INVITE is resent). */
  private static Request nextNonAck(CpmClient client) throws InterruptedException {
    Request r = client.awaitRequest(WAIT);
    while (r.getMethod().equals(Request.ACK)) {
      r = client.awaitRequest(WAIT);
    }
    return r;
  }

  /**
   * The gateway's re-INVITE names the dialog's transport in Via and Contact, and the ACK to its
   * 200 reaches this client, which listens on that transport only, with the re-INVITE's CSeq.
   */
  private static void assertAckedOver(String transport, CpmClient client, Request reinvite)
      throws InterruptedException {
    assertTrue(SipText.value(reinvite, "Via").startsWith("SIP/2.0/" + transport),
        SipText.value(reinvite, "Via"));
    assertTrue(SipText.value(reinvite, "Contact").contains(
        "transport=" + transport.toLowerCase(java.util.Locale.ROOT)),
        SipText.value(reinvite, "Contact"));
    long seq = ((javax.sip.header.CSeqHeader) reinvite.getHeader("CSeq")).getSeqNumber();
    Request ack = client.awaitRequest(WAIT);
    while (!ack.getMethod().equals(Request.ACK)) {
      assertEquals(Request.INVITE, ack.getMethod(), "only the re-INVITE resent before its ACK");
      ack = client.awaitRequest(WAIT);
    }
    assertEquals(seq, ((javax.sip.header.CSeqHeader) ack.getHeader("CSeq")).getSeqNumber());
    assertTrue(SipText.value(ack, "Via").startsWith("SIP/2.0/" + transport),
        SipText.value(ack, "Via"));
    assertEquals(SipText.value(reinvite, Cpm.CONVERSATION_ID),
        SipText.value(ack, Cpm.CONVERSATION_ID));
  }

  private static SubscriberState subscriber(RunningNode node, String msisdn) throws Exception {
    return ClusterSharding.get(node.system()).entityRefFor(SmsSubscriber.TYPE_KEY, msisdn)
        .<SubscriberState>ask(SmsSubscriberCommand.GetSubscriber::new, WAIT)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * The chat the re-INVITE could not move ends: the gateway's BYE comes, the SMS user gets the
   * teardown notice, the chat is stored ended MEDIA_LOST, and its correlation number is free.
   */
  private static void assertEndedForLostMedia(EdgeNode edges, RunningNode node,
      CpmClient client, CpmClient.Call call, String user) throws Exception {
    Request bye = nextNonAck(client);
    while (bye.getMethod().equals(Request.INVITE)) {
      bye = nextNonAck(client);  // the re-INVITE resent over UDP before its final response
    }
    assertEquals(Request.BYE, bye.getMethod());
    assertEquals(call.callId(), SipText.value(bye, "Call-ID"));
    org.ipsmgw.Await.until(() -> edges.smsc.submits().stream().anyMatch(
        s -> s.destination().equals(user.substring(1)) && s.text().contains("left the chat")),
        WAIT, "the teardown SMS to " + user);
    SessionSummary ended = ClusterSharding.get(node.system())
        .entityRefFor(ChatSession.TYPE_KEY, call.callId())
        .<SessionSummary>ask(ChatSessionCommand.Summarize::new, WAIT)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(EndCause.MEDIA_LOST, ended.ended().cause());
    org.ipsmgw.Await.until(() -> {
      try {
        return !subscriber(node, user).correlations().containsKey(call.callId());
      } catch (Exception e) {
        return false;
      }
    }, WAIT, "the correlation number released");
  }

  @Test
  void overUdpTheRecoveredChatsReInviteNamesUdpAndItsOkIsAckedOverUdp() throws Exception {
    String user = "+447700912361";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM, "udp")) {
      establish(edges, client, user);
      edges.node.stop();
      RunningNode second = edges.startAnother();
      Request reinvite = client.awaitRequest(WAIT);
      assertEquals(Request.INVITE, reinvite.getMethod());
      assertTrue(SipText.value(reinvite, "Contact").contains(":" + sipPort(second) + ";"),
          "the new node's Contact: " + SipText.value(reinvite, "Contact"));
      assertAckedOver("UDP", client, reinvite);
      try (MsrpClient msrp = client.awaitReconnected(WAIT)) {
        assertEquals(List.of(0), edges.smsc.injectMo(user, CPM,
            "over the moved chat"));
        assertEquals("over the moved chat",
            CpimCodec.parse(msrp.nextRequest(WAIT).body()).bodyText());
      }
    }
  }

  @Test
  void behindARecordRoutingProxyTheReInviteAndTheAckOfEachOfItsOksFollowTheRouteSet()
      throws Exception {
    String user = "+447700912365";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM, "udp")) {
      // The proxy in front stays in the dialog; here the client plays it, so whatever follows
      // the route set reaches the client with the Route naming the proxy.
      String route = "<sip:127.0.0.1:" + clientPort(client) + ";transport=udp;lr;proxy=front>";
      EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
      CpmClient.Call call = client.invite("127.0.0.1", sipPort(edges.node), user,
          "Conversation-ID: conv-" + user + "\r\nContribution-ID: contr-rr\r\n"
              + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\nRecord-Route: " + route + "\r\n",
          client.offer("actpass"));
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode());
      client.ack(call, ok);
      awaitConfirmed(edges.node, call);
      client.resendReInviteOks(true);
      edges.node.stop();
      RunningNode second = edges.startAnother();

      Request reinvite = client.awaitRequest(WAIT);
      assertEquals(Request.INVITE, reinvite.getMethod());
      assertEquals(List.of(route), SipText.values(reinvite, "Route"));
      // The new Contact is the node that holds the chat now: later requests come to it.
      assertTrue(SipText.value(reinvite, "Contact").contains("@127.0.0.1:" + sipPort(second)
          + ";"), SipText.value(reinvite, "Contact"));
      long seq = ((javax.sip.header.CSeqHeader) reinvite.getHeader("CSeq")).getSeqNumber();
      for (int i = 0; i < 2; i++) {
        Request ack = client.awaitRequest(WAIT);
        assertEquals(Request.ACK, ack.getMethod(), "an ACK for the 200 and for its resending");
        assertEquals(seq, ((javax.sip.header.CSeqHeader) ack.getHeader("CSeq")).getSeqNumber());
        assertEquals(List.of(route), SipText.values(ack, "Route"), "ACK " + (i + 1));
        assertEquals("conv-" + user, SipText.value(ack, Cpm.CONVERSATION_ID));
      }
      client.awaitReconnected(WAIT).close();
    }
  }

  private static int clientPort(CpmClient client) {
    String uri = client.msrpUri();  // msrp://host:port/cpm<sip port>;tcp
    return Integer.parseInt(uri.substring(uri.lastIndexOf("/cpm") + 4, uri.lastIndexOf(';')));
  }

  @Test
  void aReInviteAnswered481EndsTheChatWithByeTheTeardownSmsAndFreesTheNumber()
      throws Exception {
    String user = "+447700912362";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM, "udp")) {
      CpmClient.Call call = establish(edges, client, user);
      client.answerReInvites(481);
      edges.node.stop();
      RunningNode second = edges.startAnother();
      assertEquals(Request.INVITE, nextNonAck(client).getMethod());
      assertEndedForLostMedia(edges, second, client, call, user);
    }
  }

  @Test
  void aReInviteNeverAnsweredEndsTheChatAfter64T1() throws Exception {
    String user = "+447700912363";
    Properties t1 = new Properties();
    t1.setProperty("ipsmgw.sip.t1", "50ms");
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), t1);
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      CpmClient.Call call = establish(edges, client, user);
      client.answerReInvites(0);
      edges.node.stop();
      RunningNode second = edges.startAnother();
      Request reinvite = nextNonAck(client);
      assertEquals(Request.INVITE, reinvite.getMethod());
      long sent = System.nanoTime();
      assertEndedForLostMedia(edges, second, client, call, user);
      assertTrue(System.nanoTime() - sent >= Duration.ofMillis(50 * 60).toNanos(),
          "the BYE only after 64·T1 without an answer");
    }
  }

  @Test
  void aReInviteThatCannotReachTheClientEndsTheChatAndFreesTheNumber() throws Exception {
    String user = "+447700912366";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties())) {
      CpmClient.Call call;
      try (CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
        call = establish(edges, client, user);
        edges.node.stop();
      }
      // The phone is gone with its TCP port: the re-INVITE's connection is refused.
      RunningNode second = edges.startAnother();
      org.ipsmgw.Await.until(() -> edges.smsc.submits().stream().anyMatch(
          s -> s.destination().equals(user.substring(1)) && s.text().contains("left the chat")),
          WAIT, "the teardown SMS to " + user);
      assertEquals(EndCause.MEDIA_LOST, summary(second, call).ended().cause());
      org.ipsmgw.Await.until(() -> {
        try {
          return !subscriber(second, user).correlations().containsKey(call.callId());
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the correlation number released");
    }
  }

  private static SessionSummary summary(RunningNode node, CpmClient.Call call) throws Exception {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, call.callId())
        .<SessionSummary>ask(ChatSessionCommand.Summarize::new, WAIT)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aReInviteAnswered491IsSentOnceMoreAndTheChatGoesOn() throws Exception {
    String user = "+447700912364";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM, "udp")) {
      establish(edges, client, user);
      client.answerReInvites(491, 200);
      edges.node.stop();
      edges.startAnother();
      Request first = nextNonAck(client);
      long firstSeq = ((javax.sip.header.CSeqHeader) first.getHeader("CSeq")).getSeqNumber();
      Request again = nextNonAck(client);
      while (((javax.sip.header.CSeqHeader) again.getHeader("CSeq")).getSeqNumber()
          == firstSeq) {
        again = nextNonAck(client);  // the first one resent over UDP before its 491 arrived
      }
      assertEquals(Request.INVITE, again.getMethod());
      assertAckedOver("UDP", client, again);
      try (MsrpClient msrp = client.awaitReconnected(WAIT)) {
        assertEquals(List.of(0), edges.smsc.injectMo(user, CPM,
            "after the retry"));
        assertEquals("after the retry", CpimCodec.parse(msrp.nextRequest(WAIT).body()).bodyText());
      }
    }
  }

  private static void awaitInvitationSms(SmscSimulator smsc, String user) throws Exception {
    org.ipsmgw.Await.until(() -> smsc.submits().stream()
        .anyMatch(s -> s.destination().equals(user.substring(1))), WAIT,
        "an invitation SMS to " + user);
  }

}
