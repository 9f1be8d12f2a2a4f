package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMS-originated chats toward a CPM side that is a bare UDP socket standing in for the IMS core
 * (the outbound proxy), so every request the gateway sends is seen as sent, ACKs to non-2xx
 * included: the CANCEL and the ACK to a 486 or 487 carry Conversation-ID, Contribution-ID,
 * P-Asserted-Service and Accept-Contact like the INVITE; in a UDP dialog the ACK to the 2xx and
 * the BYE go along the route set on UDP, with a UDP Contact.
 */
class GatewayRequestHeadersIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static RawSipUdp core;
  private static EdgeNode edges;

  @BeforeAll
  static void start() throws Exception {
    core = new RawSipUdp("127.0.0.1");
    Properties chat = new Properties();
    chat.setProperty("ipsmgw.policy.sms-originated", "CHAT");
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of("IPSMGW_SIP_OUTBOUND_PROXY",
        "sip:127.0.0.1:" + core.port() + ";transport=udp;lr"), chat);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
    if (core != null) {
      core.close();
    }
  }

  /** The next request of that method and Call-ID (null: any call), skipping the rest. */
  private static String next(String method, String callId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String m = core.receive(WAIT);
      if (m.startsWith(method + " ")
          && (callId == null || callId.equals(RawSipUdp.header(m, "Call-ID")))) {
        return m;
      }
    }
    throw new AssertionError("no " + method + " from the gateway");
  }

  private static String answer(String request, int status, String toTag) {
    String ok = RawSipUdp.okTo(request).replace("SIP/2.0 200 OK", "SIP/2.0 " + status + " X");
    String to = RawSipUdp.header(request, "To");
    return toTag == null ? ok : ok.replace("To: " + to, "To: " + to + ";tag=" + toTag);
  }

  private static void assertCpmHeaders(String invite, String request) {
    String method = request.substring(0, request.indexOf(' '));
    for (String name : List.of(Cpm.CONVERSATION_ID, Cpm.CONTRIBUTION_ID)) {
      assertNotNull(RawSipUdp.header(invite, name), name);
      assertEquals(RawSipUdp.header(invite, name), RawSipUdp.header(request, name),
          name + " of the " + method);
    }
    assertEquals(Cpm.SESSION_ICSI, RawSipUdp.header(request, Cpm.P_ASSERTED_SERVICE),
        "P-Asserted-Service of the " + method);
    String accept = RawSipUdp.header(request, "Accept-Contact");
    assertTrue(accept != null && accept.contains(Cpm.SESSION_TAG),
        "Accept-Contact of the " + method + ": " + accept);
  }

  @Test
  void theAckToA486CarriesTheCpmHeaders() throws Exception {
    assertEquals(List.of(0), edges.smsc.injectMo("+447700950001", CPM, "busy?"));
    String invite = next("INVITE", null);
    String callId = RawSipUdp.header(invite, "Call-ID");
    assertTrue(RawSipUdp.header(invite, "Via").startsWith("SIP/2.0/UDP"),
        "the INVITE goes on the outbound proxy's transport: " + RawSipUdp.header(invite, "Via"));
    core.send(answer(invite, 486, "busy1"), edges.sipPort);
    String ack = next("ACK", callId);
    assertCpmHeaders(invite, ack);
  }

  @Test
  void theCancelAndTheAckToThe487CarryTheCpmHeaders() throws Exception {
    String sms = "+447700950002";
    assertEquals(List.of(0), edges.smsc.injectMo(sms, CPM, "are you there?"));
    String invite = next("INVITE", null);
    String callId = RawSipUdp.header(invite, "Call-ID");
    core.send(answer(invite, 180, "ring2"), edges.sipPort);
    assertEquals(List.of(0), edges.smsc.injectMo(sms, CPM, "STOP"));
    String cancel = next("CANCEL", callId);
    assertCpmHeaders(invite, cancel);
    core.send(answer(cancel, 200, "ring2"), edges.sipPort);
    core.send(answer(invite, 487, "ring2"), edges.sipPort);
    String ack = next("ACK", callId);
    assertCpmHeaders(invite, ack);
  }

  @Test
  void inAUdpChatTheGatewaysAckAndByeFollowTheRouteSetOnUdp() throws Exception {
    String sms = "+447700950003";
    assertEquals(List.of(0), edges.smsc.injectMo(sms, CPM, "chat over udp?"));
    String invite = next("INVITE", null);
    String callId = RawSipUdp.header(invite, "Call-ID");
    // The IMS core stays in the dialog with a Record-Route that names no transport, and the
    // CPM user's Contact is out of the gateway's reach: everything later goes through the
    // core, on the transport the dialog was set up on (the outbound proxy's, UDP).
    String route = "<sip:127.0.0.1:" + core.port() + ";lr>";
    core.send(answer(invite, 200, "udp3").replace("Content-Length: 0\r\n",
        "Record-Route: " + route + "\r\nContact: <sip:" + CPM + "@127.0.0.2:9>\r\n"
            + "Content-Length: 0\r\n"), edges.sipPort);
    String ack = next("ACK", callId);
    assertTrue(RawSipUdp.header(ack, "Via").startsWith("SIP/2.0/UDP"),
        RawSipUdp.header(ack, "Via"));
    assertEquals(route, RawSipUdp.header(ack, "Route"));

    assertEquals(List.of(0), edges.smsc.injectMo(sms, CPM, "STOP"));
    String bye = next("BYE", callId);
    core.send(RawSipUdp.okTo(bye), edges.sipPort);
    assertTrue(RawSipUdp.header(bye, "Via").startsWith("SIP/2.0/UDP"),
        RawSipUdp.header(bye, "Via"));
    String contact = RawSipUdp.header(bye, "Contact");
    assertTrue(contact.contains("transport=udp"), contact);
    assertEquals(route, RawSipUdp.header(bye, "Route"));
    assertCpmHeaders(invite, bye);
  }
}
