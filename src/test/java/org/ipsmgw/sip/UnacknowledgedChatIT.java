package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SessionSummary;
import org.ipsmgw.session.EndCause;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SubscriberState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CPM peer that never ACKs the gateway's 200 (RFC 3261 §13.3.1.4), with T1 = 50 ms: over UDP
 * the 200 is resent, then after 64·T1 the gateway sends BYE, the chat ends and its correlation
 * number is free for the SMS user's next chat; over TCP the same BYE comes. A 200 that is ACKed
 * is not resent after the ACK.
 */
class UnacknowledgedChatIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration T1 = Duration.ofMillis(50);
  private static final String CPM = "+447700900555";
  private static final String IDS = "Conversation-ID: Conv-noack-1\r\n"
      + "Contribution-ID: Contr-noack-1\r\n";
  private static final String CPM_TAGS = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
  private static final AtomicInteger USERS = new AtomicInteger(100);
  private static EdgeNode edges;

  @BeforeAll
  static void start() throws Exception {
    Path conf = Files.createTempFile("ipsmgw-noack", ".conf");
    conf.toFile().deleteOnExit();
    Files.writeString(conf, "ipsmgw.sip.t1 = " + T1.toMillis() + "ms\n");
    Properties properties = new Properties();
    properties.setProperty("config.file", conf.toString());
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), properties);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  private static String acceptingUser() throws Exception {
    String user = "+4477009" + (40000 + USERS.incrementAndGet());
    EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
    return user;
  }

  private static String invite(RawSipUdp ua, String callId, String user) {
    String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=message 9 TCP/MSRP *\r\na=path:msrp://127.0.0.1:9/noack;tcp\r\n"
        + "a=accept-types:message/cpim\r\na=setup:active\r\n";
    return "INVITE sip:" + user + "@127.0.0.1:" + edges.sipPort + ";user=phone SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP " + ua.host() + ":" + ua.port() + ";branch=z9hG4bK" + callId
        + ";rport\r\nMax-Forwards: 70\r\n"
        + "From: <sip:" + CPM + "@ims.example>;tag=noack\r\nTo: <tel:" + user + ">\r\n"
        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
        + "Contact: <sip:" + CPM + "@" + ua.host() + ":" + ua.port() + ";transport=udp>\r\n"
        + IDS + CPM_TAGS + "Content-Type: application/sdp\r\nContent-Length: "
        + sdp.length() + "\r\n\r\n" + sdp;
  }

  private static SessionSummary chat(String callId) throws Exception {
    return ClusterSharding.get(edges.node.system())
        .entityRefFor(ChatSession.TYPE_KEY, callId)
        .<SessionSummary>ask(ChatSessionCommand.Summarize::new, WAIT)
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static SubscriberState subscriber(String msisdn) throws Exception {
    return ClusterSharding.get(edges.node.system())
        .entityRefFor(SmsSubscriber.TYPE_KEY, msisdn)
        .<SubscriberState>ask(SmsSubscriberCommand.GetSubscriber::new, WAIT)
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void overUdpA200NeverAckedIsResentThenTheGatewaySendsByeAndFreesTheNumber() throws Exception {
    String user = acceptingUser();
    try (RawSipUdp ua = new RawSipUdp("127.0.0.1")) {
      String callId = "noack-udp-" + System.nanoTime();
      ua.send(invite(ua, callId, user), edges.sipPort);
      int oks = 0;
      long firstOk = 0;
      String bye = null;
      while (bye == null) {
        String m = ua.receive(WAIT);
        if (m.startsWith("SIP/2.0 200") && callId.equals(RawSipUdp.header(m, "Call-ID"))) {
          oks++;
          firstOk = firstOk == 0 ? System.nanoTime() : firstOk;
        } else if (m.startsWith("BYE ")) {
          bye = m;
        }
      }
      long waited = System.nanoTime() - firstOk;
      assertTrue(oks >= 3, "the 200 was resent while no ACK came: " + oks);
      assertTrue(waited >= T1.multipliedBy(60).toNanos(), "BYE only after 64·T1: "
          + Duration.ofNanos(waited));
      assertEquals(callId, RawSipUdp.header(bye, "Call-ID"));
      assertEquals("Conv-noack-1", RawSipUdp.header(bye, "Conversation-ID"));
      assertTrue(RawSipUdp.header(bye, "Via").startsWith("SIP/2.0/UDP"),
          RawSipUdp.header(bye, "Via"));
      ua.send(RawSipUdp.okTo(bye), edges.sipPort);

      SessionSummary ended = chat(callId);
      assertEquals(EndCause.NO_ACK, ended.ended().cause());
      Await.until(() -> {
        try {
          return !subscriber(user).correlations().containsKey(callId);
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the correlation number released");

      // The SMS user's next chat from the same CPM user gets the number again: it is free.
      String next = "noack-udp-next-" + System.nanoTime();
      ua.send(invite(ua, next, user), edges.sipPort);
      Await.until(() -> {
        try {
          return chat(next).state().equals("ACTIVE");
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the next chat accepted");
      assertEquals(ended.correlationMsisdn(), chat(next).correlationMsisdn());
    }
  }

  /** The ACK to a 2xx of ours: to its Contact, with its To tag, on a branch of its own. */
  private static String ackTo(RawSipUdp ua, String ok) {
    String contact = RawSipUdp.header(ok, "Contact");
    String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    return "ACK " + target + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP " + ua.host() + ":" + ua.port() + ";branch=z9hG4bKack"
        + System.nanoTime() + ";rport\r\nMax-Forwards: 70\r\n"
        + "From: " + RawSipUdp.header(ok, "From") + "\r\nTo: " + RawSipUdp.header(ok, "To")
        + "\r\nCall-ID: " + RawSipUdp.header(ok, "Call-ID") + "\r\nCSeq: 1 ACK\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  @Test
  void overUdpThe200IsResentUntilItsAckAndNeverAfter() throws Exception {
    try (RawSipUdp ua = new RawSipUdp("127.0.0.1")) {
      String acked = "acked-udp-" + System.nanoTime();
      ua.send(invite(ua, acked, acceptingUser()), edges.sipPort);
      // The 200 and three resends (T1, 2·T1, 4·T1 = 50, 150, 350 ms after it); the ACK then
      // arrives 400 ms before the next resend would be due (750 ms), so none is in flight.
      String ok = null;
      int oks = 0;
      while (oks < 4) {
        String m = ua.receive(WAIT);
        if (m.startsWith("SIP/2.0 200") && acked.equals(RawSipUdp.header(m, "Call-ID"))) {
          ok = ok == null ? m : ok;
          oks++;
        }
      }
      ua.send(ackTo(ua, ok), edges.sipPort);

      // The positive marker: a second chat on the same socket whose 200 is never ACKed. The
      // gateway sends its BYE only 64·T1 (3.2 s) after that 200, which it sent after our ACK,
      // from the same UDP socket as every resend of the first 200. Had the ACK not stopped the
      // resending, the first 200 would have come again at 750 ms, 1,550 ms and 3,150 ms after
      // it (and its own BYE at 3,200 ms), each before the marker BYE.
      String marker = "marker-udp-" + System.nanoTime();
      ua.send(invite(ua, marker, acceptingUser()), edges.sipPort);
      List<String> afterAck = new ArrayList<>();
      String bye = null;
      while (bye == null) {
        String m = ua.receive(WAIT);
        if (marker.equals(RawSipUdp.header(m, "Call-ID"))) {
          bye = m.startsWith("BYE ") ? m : null;
        } else {
          afterAck.add(m.substring(0, m.indexOf("\r\n")) + " " + RawSipUdp.header(m, "CSeq"));
        }
      }
      ua.send(RawSipUdp.okTo(bye), edges.sipPort);
      assertEquals(List.of(), afterAck, "nothing of the acknowledged chat after its ACK");
      assertEquals("ACTIVE", chat(acked).state(), "the acknowledged chat goes on");
    }
  }

  @Test
  void overTcpA200NeverAckedEndsWithTheGatewaysBye() throws Exception {
    String user = acceptingUser();
    try (CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, user, IDS + CPM_TAGS,
          client.offer("actpass"));
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode());
      long okAt = System.nanoTime();
      Request bye = client.awaitRequest(WAIT);
      assertEquals(Request.BYE, bye.getMethod());
      assertEquals(call.callId(), SipText.value(bye, "Call-ID"));
      assertTrue(System.nanoTime() - okAt >= T1.multipliedBy(60).toNanos());
      assertEquals(EndCause.NO_ACK, chat(call.callId()).ended().cause());
      Await.until(() -> {
        try {
          return !subscriber(user).correlations().containsKey(call.callId());
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the correlation number released");
    }
  }
}
