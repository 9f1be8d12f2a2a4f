package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.ipsmgw.session.Invitation;
import org.junit.jupiter.api.Test;

/** How an INVITE is read: CPM or not, SDP, identifiers, parties, anonymity. */
class InviteReaderTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final SipSettings STRICT = new SipSettings("127.0.0.1", 5060, Set.of(), false,
      true);
  private static final SipSettings LENIENT = new SipSettings("127.0.0.1", 5060, Set.of(), true,
      false);
  private static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
      + "t=0 0\r\nm=message 7394 TCP/MSRP *\r\na=path:msrp://10.0.0.1:7394/abc;tcp\r\n"
      + "a=accept-types:message/cpim application/im-iscomposing+xml\r\na=setup:actpass\r\n";

  private static Request invite(String extra, String sdp) throws Exception {
    MessageFactory f = SipFactory.getInstance().createMessageFactory();
    String body = sdp == null ? "" : sdp;
    return f.createRequest("INVITE sip:+447700900777@gw.example;user=phone SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK-1\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: \"Alice\" <sip:+447700900555@ims.example>;tag=abc\r\n"
        + "To: <tel:+447700900777>\r\n"
        + "Call-ID: call-1@ims.example\r\n"
        + "CSeq: 7 INVITE\r\n"
        + "Contact: <sip:alice@10.0.0.1:5070;transport=tcp>\r\n"
        + "Record-Route: <sip:scscf.example;lr>\r\n"
        + extra
        + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
  }

  private static final String CPM = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n";
  private static final String IDS = "Conversation-ID: Conv=AbC.1\r\nContribution-ID: C-2\r\n"
      + "InReplyTo-Contribution-ID: R-3\r\n";

  private static InviteReading.Refuse refused(SipSettings s, Request r) {
    return assertInstanceOf(InviteReading.Refuse.class, new InviteReader(s).read(r, NOW));
  }

  @Test
  void readsACpmChatInvite() throws Exception {
    InviteReading.Chat chat = assertInstanceOf(InviteReading.Chat.class, new InviteReader(STRICT)
        .read(invite(CPM + IDS + "P-Asserted-Identity: <tel:+447700900555>\r\n", SDP), NOW));
    Invitation inv = chat.invitation();
    assertEquals("call-1@ims.example", inv.sessionId());
    assertEquals("Conv=AbC.1", inv.ids().conversationId());
    assertEquals("C-2", inv.ids().contributionId());
    assertEquals("R-3", inv.ids().inReplyToContributionId());
    assertEquals("tel:+447700900555", inv.parties().cpmIdentity());
    assertEquals("+447700900555", inv.parties().cpmMsisdn());
    assertEquals("Alice", inv.parties().cpmDisplayName());
    assertEquals("+447700900777", inv.parties().smsMsisdn());
    assertEquals("sip:alice@10.0.0.1:5070;transport=tcp", inv.sip().remoteTarget());
    assertEquals(7, inv.sip().cseq());
    assertEquals("abc", inv.sip().remoteTag());
    assertEquals(1, inv.sip().via().size());
    assertEquals(1, inv.sip().recordRoute().size());
    assertEquals("actpass", chat.setup());
    assertEquals(SDP, inv.sdpOffer());
    assertFalse(inv.anonymous());
    assertFalse(chat.idsGenerated());
  }

  @Test
  void featureTagInPAssertedServiceAlsoCounts() throws Exception {
    assertInstanceOf(InviteReading.Chat.class, new InviteReader(STRICT).read(
        invite("P-Asserted-Service: " + Cpm.SESSION_ICSI + "\r\n" + IDS, SDP), NOW));
  }

  @Test
  void nonCpmInviteIs488OrTreatedAsCpmByConfig() throws Exception {
    assertEquals(488, refused(STRICT, invite(IDS, SDP)).status());
    assertInstanceOf(InviteReading.Chat.class, new InviteReader(LENIENT).read(invite(IDS, SDP),
        NOW));
  }

  @Test
  void sdpWithoutWhatTheGatewayCarriesIs488() throws Exception {
    assertEquals(488, refused(STRICT, invite(CPM + IDS, null)).status());
    assertEquals(488, refused(STRICT, invite(CPM + IDS, SDP.replace("m=message 7394 TCP/MSRP *",
        "m=audio 4000 RTP/AVP 0"))).status());
    assertEquals(488, refused(STRICT, invite(CPM + IDS, SDP.replace(
        "message/cpim application/im-iscomposing+xml", "image/png"))).status());
    assertEquals(488, refused(STRICT, invite(CPM + IDS, SDP.replace(
        "a=path:msrp://10.0.0.1:7394/abc;tcp\r\n", ""))).status());
    assertEquals(488, refused(STRICT, invite(CPM + IDS, SDP.replace("actpass", "passive")
        .replace("msrp://10.0.0.1:7394/abc;tcp", "not-a-uri"))).status());
  }

  @Test
  void passiveOfferWithAUsablePathIsTaken() throws Exception {
    InviteReading.Chat chat = assertInstanceOf(InviteReading.Chat.class, new InviteReader(STRICT)
        .read(invite(CPM + IDS, SDP.replace("actpass", "passive")), NOW));
    assertEquals("passive", chat.setup());
    assertEquals("msrp://10.0.0.1:7394/abc;tcp", chat.path());
  }

  @Test
  void missingIdentifiersAre400InStrictModeAndGeneratedInLenient() throws Exception {
    InviteReading.Refuse r = refused(STRICT, invite(CPM + "Contribution-ID: C-2\r\n", SDP));
    assertEquals(400, r.status());
    assertTrue(r.reason().contains("Conversation-ID"), r.reason());
    InviteReading.Chat chat = assertInstanceOf(InviteReading.Chat.class, new InviteReader(LENIENT)
        .read(invite(CPM + "Conversation-ID: kept\r\n", SDP), NOW));
    assertTrue(chat.idsGenerated());
    assertEquals("kept", chat.invitation().ids().conversationId(), "a present one is kept");
    assertFalse(chat.invitation().ids().contributionId().isBlank());
    assertNull(chat.invitation().ids().inReplyToContributionId());
  }

  @Test
  void privacyMakesTheSenderAnonymous() throws Exception {
    InviteReading.Chat chat = assertInstanceOf(InviteReading.Chat.class, new InviteReader(STRICT)
        .read(invite(CPM + IDS + "Privacy: id\r\n", SDP), NOW));
    assertTrue(chat.invitation().anonymous());
  }
}
