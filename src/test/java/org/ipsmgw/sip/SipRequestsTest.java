package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SipRequest;
import org.junit.jupiter.api.Test;

/** The gateway's requests as the RI's factories build them, without a stack. */
class SipRequestsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final SipFactories F = SipFactories.create();
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv-1", "contr-1", "reply-1",
      null);
  private static final String PROXY = "sip:scscf.example:5062;transport=udp;lr";

  private static SipSettings settings(String outboundProxy) {
    return new SipSettings("10.0.0.1", 5060, Set.of(), false, true, outboundProxy,
        Duration.ofSeconds(60), SipSettings.DEFAULT_T1, SipSettings.DEFAULT_T2, 200,
        SipSettings.DEFAULT_DRAIN_RETRY_AFTER, SipSettings.DEFAULT_INVITE_TIMEOUT);
  }

  private static SipRequests requests(String outboundProxy) {
    return new SipRequests(F, settings(outboundProxy), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A chat the CPM side opened over UDP, through two proxies that stay in the dialog. */
  private static InviteContext cpmDialog(List<String> recordRoute) {
    return new InviteContext("sip:+447700910001@10.0.0.1;user=phone",
        List.of("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKcpm;rport=5070"),
        "<sip:+447700900555@ims.example>;tag=cpm1", "<tel:+447700910001>", "call-1@cpm", 7,
        "cpm1", "sip:+447700900555@10.0.0.5:5070", recordRoute);
  }

  private static String value(javax.sip.message.Message m, String name) {
    return SipText.value(m, name);
  }

  private static void assertChatHeaders(Request r) {
    assertEquals("conv-1", value(r, Cpm.CONVERSATION_ID));
    assertEquals("contr-1", value(r, Cpm.CONTRIBUTION_ID));
    assertEquals("reply-1", value(r, Cpm.IN_REPLY_TO));
    assertEquals(Cpm.SESSION_ICSI, value(r, Cpm.P_ASSERTED_SERVICE));
    assertEquals("*;" + Cpm.SESSION_TAG, value(r, "Accept-Contact"));
  }

  @Test
  void aSecondRequestOfTheDialogInTheSameTenthOfASecondHasAHigherCSeq() throws Exception {
    SipRequests requests = requests("");
    SipRequest reInvite = new SipRequest("call-1@cpm", "INVITE", cpmDialog(List.of()), "gw7",
        IDS, null);
    long first = ((CSeqHeader) requests.inDialog(reInvite, "v=0\r\n")
        .getHeader(CSeqHeader.NAME)).getSeqNumber();
    long again = ((CSeqHeader) requests.inDialog(reInvite, "v=0\r\n")
        .getHeader(CSeqHeader.NAME)).getSeqNumber();
    assertEquals(NOW.toEpochMilli() / 100 % Integer.MAX_VALUE, first);
    assertEquals(first + 1, again, "the re-INVITE sent again after a 491, at the same clock");
  }

  @Test
  void aByeGoesAlongTheRouteSetInOrderAsTheGatewaySideOfTheDialog() throws Exception {
    List<String> routes = List.of("<sip:p1.example;lr>", "<sip:p2.example;lr>");
    Request bye = requests("").inDialog(new SipRequest("call-1@cpm", "BYE", cpmDialog(routes),
        "gw7", IDS, null), null);

    assertEquals("BYE", bye.getMethod());
    assertEquals("sip:+447700900555@10.0.0.5:5070", bye.getRequestURI().toString());
    assertEquals(routes, SipText.values(bye, "Route"));
    ViaHeader via = (ViaHeader) bye.getHeader(ViaHeader.NAME);
    // The first Route names no transport: the dialog's, the CPM side's INVITE's UDP.
    assertEquals("UDP", via.getTransport());
    assertEquals("10.0.0.1", via.getHost());
    assertTrue(via.getBranch().startsWith("z9hG4bK") && via.getBranch().length() > 7);
    FromHeader from = (FromHeader) bye.getHeader(FromHeader.NAME);
    assertEquals("tel:+447700910001", from.getAddress().getURI().toString());
    assertEquals("gw7", from.getTag());
    assertEquals("cpm1", ((ToHeader) bye.getHeader(ToHeader.NAME)).getTag());
    assertEquals("call-1@cpm", SipGateway.callId(bye));
    CSeqHeader cseq = (CSeqHeader) bye.getHeader(CSeqHeader.NAME);
    assertEquals("BYE", cseq.getMethod());
    assertEquals(NOW.toEpochMilli() / 100 % Integer.MAX_VALUE, cseq.getSeqNumber());
    assertChatHeaders(bye);
    assertEquals("<sip:ipsmgw@10.0.0.1:5060;transport=udp>;" + Cpm.SESSION_TAG,
        value(bye, "Contact"));
    assertNull(bye.getHeader("P-Asserted-Identity"));
    assertNull(bye.getRawContent());
  }

  @Test
  void aRouteThatNamesItsTransportPicksTheVia() throws Exception {
    Request bye = requests("").inDialog(new SipRequest("call-1@cpm", "BYE",
        cpmDialog(List.of("<sip:p1.example;transport=tcp;lr>")), "gw7", IDS, null), null);
    assertEquals("TCP", ((ViaHeader) bye.getHeader(ViaHeader.NAME)).getTransport());
    assertTrue(value(bye, "Contact").contains("transport=tcp"), value(bye, "Contact"));
  }

  @Test
  void theGatewaysOwnInviteGoesThroughTheProxyAssertingTheSmsUserWithItsOffer()
      throws Exception {
    InviteContext own = new InviteContext("tel:+447700900555", List.of(),
        "<tel:+447700900555>", "<tel:+447700940001>", "own-1", 1, null, "tel:+447700900555",
        List.of());
    Request invite = requests(PROXY).inDialog(new SipRequest("own-1", "INVITE", own, "gw1",
        IDS, "msrp-1"), "v=0\r\n");

    assertEquals("tel:+447700900555", invite.getRequestURI().toString());
    assertEquals(List.of("<" + PROXY + ">"), SipText.values(invite, "Route"));
    assertEquals("UDP", ((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport());
    assertEquals("<tel:+447700940001>", value(invite, "P-Asserted-Identity"));
    assertEquals("gw1", ((FromHeader) invite.getHeader(FromHeader.NAME)).getTag());
    assertNull(((ToHeader) invite.getHeader(ToHeader.NAME)).getTag());
    assertEquals("application/sdp", value(invite, "Content-Type"));
    assertEquals("v=0\r\n", new String(invite.getRawContent(), StandardCharsets.UTF_8));
    assertChatHeaders(invite);
    assertTrue(value(invite, "Contact").contains("transport=udp"), value(invite, "Contact"));
  }

  /** The 2xx a CPM client sends to the gateway's INVITE, through two Record-Routes. */
  private static Response okTo(Request invite) throws Exception {
    Response ok = F.messages().createResponse(200, invite);
    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("cpm9");
    // The RI puts each Record-Route added on top, as each proxy on the way does: the proxy
    // nearest the gateway first, the one nearest the CPM side last and topmost.
    ok.addHeader(F.headers().createHeader("Record-Route", "<sip:gateway-side.example;lr>"));
    ok.addHeader(F.headers().createHeader("Record-Route", "<sip:cpm-side.example;lr>"));
    assertEquals(List.of("<sip:cpm-side.example;lr>", "<sip:gateway-side.example;lr>"),
        SipText.values(ok, "Record-Route"));
    ok.setHeader(F.headers().createHeader("Contact", "<sip:+447700900555@10.0.0.9:5090>"));
    return ok;
  }

  @Test
  void theAckToTheFirstInvitesOkFollowsTheRouteSetTheOkBrings() throws Exception {
    InviteContext own = new InviteContext("tel:+447700900555", List.of(),
        "<tel:+447700900555>", "<tel:+447700940001>", "own-2", 1, null, "tel:+447700900555",
        List.of());
    SipRequests requests = requests(PROXY);
    Request invite = requests.inDialog(new SipRequest("own-2", "INVITE", own, "gw2", IDS,
        "msrp-2"), "v=0\r\n");
    Response ok = okTo(invite);

    Request ack = requests.ack(ok, new PendingInvite.Sent(null, IDS, null, "msrp-2", false));

    assertEquals("ACK", ack.getMethod());
    assertEquals("sip:+447700900555@10.0.0.9:5090", ack.getRequestURI().toString());
    // The 2xx's Record-Route read backwards: the hop nearest the gateway first.
    assertEquals(List.of("<sip:gateway-side.example;lr>", "<sip:cpm-side.example;lr>"),
        SipText.values(ack, "Route"));
    // No Route names a transport: the one the INVITE went on (its Via, in the 2xx).
    assertEquals("UDP", ((ViaHeader) ack.getHeader(ViaHeader.NAME)).getTransport());
    CSeqHeader cseq = (CSeqHeader) ack.getHeader(CSeqHeader.NAME);
    assertEquals("ACK", cseq.getMethod());
    assertEquals(((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber(),
        cseq.getSeqNumber());
    assertEquals("gw2", ((FromHeader) ack.getHeader(FromHeader.NAME)).getTag());
    assertEquals("cpm9", ((ToHeader) ack.getHeader(ToHeader.NAME)).getTag());
    assertChatHeaders(ack);
    assertNull(ack.getHeader("Contact"));
  }

  @Test
  void theAckToAReInvitesOkFollowsTheDialogsRouteSetOnItsTransport() throws Exception {
    List<String> dialogRoutes = List.of("<sip:p1.example;transport=tcp;lr>");
    SipRequests requests = requests("");
    Request reInvite = requests.inDialog(new SipRequest("call-1@cpm", "INVITE",
        cpmDialog(dialogRoutes), "gw7", IDS, "msrp-1"), "v=0\r\n");
    Response ok = okTo(reInvite);

    Request ack = requests.ack(ok, new PendingInvite.Sent(null, IDS, dialogRoutes, null,
        false));

    assertEquals(dialogRoutes, SipText.values(ack, "Route"));
    assertEquals("TCP", ((ViaHeader) ack.getHeader(ViaHeader.NAME)).getTransport());
  }

  @Test
  void aRecoveredUdpChatsReInviteNamesUdpAndTheAckToItsOkGoesOnUdpToTheOksContact()
      throws Exception {
    // A phone as RFC 3261 has it: UDP, a Contact without transport=, no proxy in the dialog.
    SipRequests requests = requests("");
    Request reInvite = requests.inDialog(new SipRequest("call-1@cpm", "INVITE",
        cpmDialog(List.of()), "gw7", IDS, "msrp-1"), "v=0\r\n");
    assertEquals("UDP", ((ViaHeader) reInvite.getHeader(ViaHeader.NAME)).getTransport());
    assertEquals("<sip:ipsmgw@10.0.0.1:5060;transport=udp>;" + Cpm.SESSION_TAG,
        value(reInvite, "Contact"));
    Response ok = F.messages().createResponse(200, reInvite);
    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("cpm1");
    ok.setHeader(F.headers().createHeader("Contact", "<sip:+447700900555@10.0.0.6:5072>"));

    Request ack = requests.ack(ok, new PendingInvite.Sent(null, IDS, List.of(), null, false));

    assertEquals("sip:+447700900555@10.0.0.6:5072", ack.getRequestURI().toString());
    assertEquals("UDP", ((ViaHeader) ack.getHeader(ViaHeader.NAME)).getTransport());
    assertEquals(List.of(), SipText.values(ack, "Route"));
    assertEquals(((CSeqHeader) reInvite.getHeader(CSeqHeader.NAME)).getSeqNumber(),
        ((CSeqHeader) ack.getHeader(CSeqHeader.NAME)).getSeqNumber());
    assertChatHeaders(ack);
  }

  @Test
  void anAckForAnOkThisNodeHoldsNothingOfCarriesNoIdsButStillTheService() throws Exception {
    SipRequests requests = requests("");
    Request reInvite = requests.inDialog(new SipRequest("call-1@cpm", "INVITE",
        cpmDialog(List.of()), "gw7", IDS, "msrp-1"), "v=0\r\n");
    Request ack = requests.ack(okTo(reInvite), null);
    assertNull(ack.getHeader(Cpm.CONVERSATION_ID));
    assertEquals(Cpm.SESSION_ICSI, value(ack, Cpm.P_ASSERTED_SERVICE));
  }

  @Test
  void aPagerMessageGoesThroughTheProxyAsTheSmsUserWithItsCpimBytes() throws Exception {
    byte[] cpim = "From: <tel:+447700940001>\r\n\r\nContent-Type: text/plain\r\n\r\nhé"
        .getBytes(StandardCharsets.UTF_8);
    SipRequests requests = requests(PROXY);
    Request m = requests.message(new SipMessageRequest("pager-1", "ref-1", "tel:+447700900555",
        "+447700940001", IDS, cpim), "pm-1@10.0.0.1");

    assertEquals("MESSAGE", m.getMethod());
    assertEquals("tel:+447700900555", m.getRequestURI().toString());
    assertEquals("pm-1@10.0.0.1", SipGateway.callId(m));
    FromHeader from = (FromHeader) m.getHeader(FromHeader.NAME);
    assertEquals("tel:+447700940001", from.getAddress().getURI().toString());
    assertNotNull(from.getTag());
    assertEquals("<tel:+447700900555>", value(m, "To"));
    assertEquals("<tel:+447700940001>", value(m, "P-Asserted-Identity"));
    assertEquals(List.of("<" + PROXY + ">"), SipText.values(m, "Route"));
    assertEquals("UDP", ((ViaHeader) m.getHeader(ViaHeader.NAME)).getTransport());
    assertEquals("1 MESSAGE", value(m, "CSeq"));
    assertEquals("message/cpim", value(m, "Content-Type"));
    assertArrayEquals(cpim, m.getRawContent());
    assertEquals("conv-1", value(m, Cpm.CONVERSATION_ID));
    assertEquals(Cpm.MSG_ICSI, value(m, Cpm.P_ASSERTED_SERVICE));
    assertEquals("*;" + Cpm.MSG_TAG, value(m, "Accept-Contact"));
  }

  @Test
  void aPagerMessageToATelUriNeedsAProxy() {
    SipRequests requests = requests("");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> requests.message(new SipMessageRequest("pager-1", "ref-1", "tel:+447700900555",
            "+447700940001", IDS, new byte[0]), requests.newCallId()));
    assertTrue(e.getMessage().contains("ipsmgw.sip.outbound-proxy"), e.getMessage());
  }
}
