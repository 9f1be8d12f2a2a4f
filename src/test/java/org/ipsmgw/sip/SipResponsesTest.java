package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipResponse;
import org.junit.jupiter.api.Test;

/** The gateway's responses as the RI's factories build them, without a stack. */
class SipResponsesTest {
  private static final SipFactories F = SipFactories.create();
  private static final SipResponses RESPONSES = new SipResponses(F, new SipSettings("10.0.0.1",
      5060, Set.of(), false, true, "", Duration.ofSeconds(60), SipSettings.DEFAULT_T1,
      SipSettings.DEFAULT_T2, 200,
        SipSettings.DEFAULT_DRAIN_RETRY_AFTER, SipSettings.DEFAULT_INVITE_TIMEOUT));
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv-1", "contr-1", null,
      "svc-1");

  private static InviteContext stored(String topVia) {
    return new InviteContext("sip:+447700910001@10.0.0.1", List.of(topVia,
        "SIP/2.0/TCP 10.0.0.7:5060;branch=z9hG4bKproxy;rport=40001"),
        "<sip:+447700900555@ims.example>;tag=cpm1", "<tel:+447700910001>", "call-7@cpm", 42,
        "cpm1", "sip:+447700900555@10.0.0.5:5070", List.of());
  }

  private static String value(javax.sip.message.Message m, String name) {
    return SipText.value(m, name);
  }

  @Test
  void aResponseToAStoredTcpInviteGoesToTheSentByPortNotTheDeadConnectionsRport()
      throws Exception {
    Response ok = RESPONSES.toInvite(new SipResponse("call-7@cpm",
        stored("SIP/2.0/TCP 10.0.0.5:5070;branch=z9hG4bKcpm;rport=40000;received=10.0.0.5"),
        "gw7", 200, "OK", IDS, "msrp-7"), null, "v=0\r\n");

    List<String> vias = SipText.values(ok, ViaHeader.NAME);
    ViaHeader top = (ViaHeader) ok.getHeader(ViaHeader.NAME);
    assertTrue(vias.get(0).contains(";rport") && !vias.get(0).contains("rport="), vias.get(0));
    assertEquals(-1, top.getRPort());
    assertEquals("10.0.0.5", top.getReceived());
    assertEquals("z9hG4bKcpm", top.getBranch());
    // Only the topmost Via is the CPM side's connection; the others stay as received.
    assertEquals("SIP/2.0/TCP 10.0.0.7:5060;branch=z9hG4bKproxy;rport=40001", vias.get(1));
    assertEquals("<sip:+447700900555@ims.example>;tag=cpm1", value(ok, "From"));
    assertEquals("gw7", ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
    assertEquals("call-7@cpm", value(ok, "Call-ID"));
    assertEquals("42 INVITE", value(ok, "CSeq"));
    assertNull(ok.getHeader("Max-Forwards"));
    assertEquals("OK", ok.getReasonPhrase());
    assertEquals("<sip:ipsmgw@10.0.0.1:5060;transport=tcp>;" + Cpm.SESSION_TAG,
        value(ok, "Contact"));
    assertEquals("conv-1", value(ok, Cpm.CONVERSATION_ID));
    assertEquals("contr-1", value(ok, Cpm.CONTRIBUTION_ID));
    assertEquals("svc-1", value(ok, Cpm.SERVICE_ID));
    assertNull(ok.getHeader(Cpm.IN_REPLY_TO));
    assertEquals("application/sdp", value(ok, "Content-Type"));
    assertEquals("v=0\r\n", new String(ok.getRawContent(), StandardCharsets.UTF_8));
  }

  @Test
  void overUdpTheStoredRportStays() throws Exception {
    Response ringing = RESPONSES.toInvite(new SipResponse("call-7@cpm",
        stored("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKcpm;rport=40000"), "gw7", 180,
        "Ringing", IDS, null), null, null);
    assertEquals(40000, ((ViaHeader) ringing.getHeader(ViaHeader.NAME)).getRPort());
    assertTrue(value(ringing, "Contact").contains("transport=udp"), value(ringing, "Contact"));
    assertNull(ringing.getRawContent());
  }

  @Test
  void anErrorToAStoredInviteHasNoContactButTheIdsAndTheChatsTag() throws Exception {
    Response busy = RESPONSES.toInvite(new SipResponse("call-7@cpm",
        stored("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKcpm"), "gw7", 486, "Busy Here", IDS,
        null), null, null);
    assertNull(busy.getHeader("Contact"));
    assertEquals("gw7", ((ToHeader) busy.getHeader(ToHeader.NAME)).getTag());
    assertEquals("conv-1", value(busy, Cpm.CONVERSATION_ID));
    assertEquals("Busy Here", busy.getReasonPhrase());
  }

  private static Request invite() throws Exception {
    String text = "INVITE sip:+447700910001@10.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKcpm\r\nMax-Forwards: 70\r\n"
        + "From: <sip:+447700900555@ims.example>;tag=cpm1\r\nTo: <tel:+447700910001>\r\n"
        + "Call-ID: call-8@cpm\r\nCSeq: 3 INVITE\r\n"
        + "Conversation-ID: Conv-AbC.1\r\nContribution-ID: Contr-9\r\n"
        + "Content-Length: 0\r\n\r\n";
    return F.messages().createRequest(text);
  }

  @Test
  void aFinalResponseInHandCarriesTheRequestsIdsByteForByteAndATagOfOurs() throws Exception {
    Response r = RESPONSES.final_(invite(), 488, "Not a CPM chat invitation");
    assertEquals("Conv-AbC.1", value(r, Cpm.CONVERSATION_ID));
    assertEquals("Contr-9", value(r, Cpm.CONTRIBUTION_ID));
    assertEquals("Not a CPM chat invitation", r.getReasonPhrase());
    assertNotNull(((ToHeader) r.getHeader(ToHeader.NAME)).getTag());
  }

  @Test
  void theOkToACancelCarriesTheInvitesIds() throws Exception {
    Request cancel = F.messages().createRequest("CANCEL sip:+447700910001@10.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKcpm\r\nMax-Forwards: 70\r\n"
        + "From: <sip:+447700900555@ims.example>;tag=cpm1\r\nTo: <tel:+447700910001>\r\n"
        + "Call-ID: call-8@cpm\r\nCSeq: 3 CANCEL\r\nContent-Length: 0\r\n\r\n");
    Response ok = RESPONSES.cancelOk(cancel, invite());
    assertEquals(200, ok.getStatusCode());
    assertEquals("Conv-AbC.1", value(ok, Cpm.CONVERSATION_ID));
    assertEquals("3 CANCEL", value(ok, "CSeq"));
  }

  @Test
  void aReInvitesOkCarriesTheChatsTagContactIdsAndAnswer() throws Exception {
    Response ok = RESPONSES.reInviteOk(invite(), IDS, "gw8", "v=0\r\n");
    assertEquals("gw8", ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
    assertTrue(value(ok, "Contact").endsWith(Cpm.SESSION_TAG), value(ok, "Contact"));
    assertEquals("conv-1", value(ok, Cpm.CONVERSATION_ID));
    assertEquals("application/sdp", value(ok, "Content-Type"));
  }

  @Test
  void optionsSayWhatTheGatewayTakesAndWhereItIs() throws Exception {
    Request options = F.messages().createRequest("OPTIONS sip:10.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP 10.0.0.5:5070;branch=z9hG4bKopt\r\nMax-Forwards: 70\r\n"
        + "From: <sip:probe@ims.example>;tag=p1\r\nTo: <sip:10.0.0.1>\r\n"
        + "Call-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    Response ok = RESPONSES.options(options);
    assertEquals(List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "MESSAGE"),
        SipText.values(ok, "Allow"));
    assertEquals(List.of("application/sdp", "message/cpim", "text/plain"),
        SipText.values(ok, "Accept"));
    assertTrue(value(ok, "Contact").contains("transport=tcp"), value(ok, "Contact"));
  }
}
