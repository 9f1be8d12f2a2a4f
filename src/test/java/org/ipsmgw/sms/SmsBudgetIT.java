package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sip.Cpm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One SMS budget for every edge, end to end (CPM client ⇄ node ⇄ SMSC simulator) with
 * {@code concatenation = udh-16bit} and {@code max-sms-parts = 10}: a 1,530-character GSM text is
 * 11 parts of 152 septets, so the MSRP SEND gets 413 and the pager MESSAGE SIP 413, and no SMS of
 * it reaches the SMSC (checked once a later, allowed message of the same thread has arrived).
 */
class SmsBudgetIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String TOO_LONG = "x".repeat(1530);
  private static final String CHAT_IDS = "Conversation-ID: Conv-budget-1\r\n"
      + "Contribution-ID: Contr-budget-1\r\n";
  private static final String CHAT_TAGS = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
  private static final String PAGER_TAGS = "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n";
  private static final AtomicInteger USERS = new AtomicInteger(700);

  private static EdgeNode edges;
  private static CpmClient client;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("ipsmgw.smsc.concatenation", "udh-16bit");
    p.setProperty("ipsmgw.policy.max-sms-parts", "10");
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), p);
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

  private static String newUser() {
    return "+4477009" + (30000 + USERS.incrementAndGet());
  }

  private static byte[] cpim(String user, String text) {
    return ("From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:" + user + ">\r\n"
        + "DateTime: 2026-11-24T12:00:00Z\r\n\r\nContent-Type: text/plain\r\n\r\n" + text)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Waits for the marker's SMS, then returns every submit_sm to the user so far. */
  private static List<ReceivedSubmit> submitsUpToMarker(String user, String marker)
      throws InterruptedException {
    String dest = user.substring(1);
    Await.until(() -> edges.smsc.submits().stream().anyMatch(s -> s.destination().equals(dest)
        && text(s).equals(marker)), WAIT, "the marker SMS to " + user);
    return edges.smsc.submits().stream().filter(s -> s.destination().equals(dest)).toList();
  }

  private static String text(ReceivedSubmit s) {
    byte[] ud = s.userData();
    return Gsm7Alphabet.decode(ud, 0, ud.length);
  }

  @Test
  void a1530CharacterTextOverMsrpIs413AndNeverReachesTheSmsc() throws Exception {
    String user = newUser();
    EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
    CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, user, CHAT_IDS + CHAT_TAGS,
        client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    String path = CpmClient.msrpPath(ok);
    try (MsrpClient msrp = client.connectMsrp(ok)) {
      byte[] tooLong = cpim(user, TOO_LONG);
      msrp.send(MsrpWriter.send("tx-budget-long", path, client.msrpUri(), "m-long",
          ByteRange.whole(tooLong.length), false, null, "message/cpim", tooLong, '$'));
      assertEquals(413, msrp.responseTo("tx-budget-long", WAIT).status(),
          "11 parts of 152 septets are more than max-sms-parts 10");
      byte[] marker = cpim(user, "marker");
      msrp.send(MsrpWriter.send("tx-budget-marker", path, client.msrpUri(), "m-marker",
          ByteRange.whole(marker.length), false, null, "message/cpim", marker, '$'));
      assertEquals(200, msrp.responseTo("tx-budget-marker", WAIT).status());
      List<ReceivedSubmit> submits = submitsUpToMarker(user, "marker");
      assertEquals(List.of("marker"), submits.stream().map(SmsBudgetIT::text).toList(),
          "nothing of the refused text was submitted");
    }
    client.inDialog(call, ok, Request.BYE, null);
  }

  @Test
  void a1530CharacterPagerMessageIsSip413AndNeverReachesTheSmsc() throws Exception {
    String user = newUser();
    String ids = "Conversation-ID: Conv-budget-p\r\nContribution-ID: Contr-budget-p\r\n";
    Response refused = client.awaitFinal(client.outOfDialog(Request.MESSAGE, "127.0.0.1",
        edges.sipPort, user, ids + PAGER_TAGS, "message/cpim",
        new String(cpim(user, TOO_LONG), StandardCharsets.UTF_8)), WAIT);
    assertEquals(413, refused.getStatusCode());
    Response accepted = client.awaitFinal(client.outOfDialog(Request.MESSAGE, "127.0.0.1",
        edges.sipPort, user, ids + PAGER_TAGS, "message/cpim",
        new String(cpim(user, "marker"), StandardCharsets.UTF_8)), WAIT);
    assertEquals(202, accepted.getStatusCode());
    List<ReceivedSubmit> submits = submitsUpToMarker(user, "marker");
    assertEquals(List.of("marker"), submits.stream().map(SmsBudgetIT::text).toList(),
        "nothing of the refused MESSAGE was submitted");
  }
}
