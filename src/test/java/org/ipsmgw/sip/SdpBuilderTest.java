package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sdp.Origin;
import javax.sdp.SdpFactory;
import org.junit.jupiter.api.Test;

/** The gateway's SDP, offer and answer, read back with the reader incoming SDP goes through. */
class SdpBuilderTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String PATH = "msrp://10.0.0.1:2855/Y2FsbC0x.0123abcd;tcp";
  private static final String SESSION = "0123456789abcdef0123456789abcdef";

  private static SdpBuilder at(String host, Instant now) {
    return new SdpBuilder(host, 2855, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static SdpMedia media(String sdp) throws Exception {
    return SdpMedia.read(sdp).orElseThrow();
  }

  private static Origin origin(String sdp) throws Exception {
    return SdpFactory.getInstance().createSessionDescription(sdp).getOrigin();
  }

  @Test
  void anOfferLetsThePeerChooseWhoConnects() throws Exception {
    String offer = at("10.0.0.1", T0).offer(PATH, SESSION);
    SdpMedia m = media(offer);
    assertEquals("actpass", m.setup());
    assertEquals(PATH, m.path());
    assertEquals(SdpBuilder.ACCEPT_TYPES, m.acceptTypes());
    assertTrue(offer.contains("m=message 2855 TCP/MSRP *"), offer);
    assertTrue(offer.contains("c=IN IP4 10.0.0.1"), offer);
    assertTrue(offer.contains("a=accept-wrapped-types:" + SdpBuilder.ACCEPT_WRAPPED_TYPES),
        offer);
    assertTrue(offer.contains("a=sendrecv"), offer);
  }

  @Test
  void anAnswerIsPassiveUnlessTheOfferIs() throws Exception {
    SdpBuilder sdp = at("10.0.0.1", T0);
    assertEquals("passive", media(sdp.answer(PATH, SESSION, "actpass")).setup());
    assertEquals("passive", media(sdp.answer(PATH, SESSION, "active")).setup());
    assertEquals("active", media(sdp.answer(PATH, SESSION, "passive")).setup());
    assertEquals(PATH, media(sdp.answer(PATH, SESSION, "actpass")).path());
    assertTrue(media(sdp.answer(PATH, SESSION, "actpass")).carriesText());
  }

  @Test
  void oneChatKeepsItsOriginIdOnEveryNodeWhileTheVersionGrows() throws Exception {
    Origin answer = origin(at("10.0.0.1", T0).answer(PATH, SESSION, "actpass"));
    // After a failover another node, later, re-offers the same chat.
    Origin reOffer = origin(at("10.0.0.2", T0.plus(Duration.ofMinutes(3)))
        .offer(PATH, SESSION));
    Origin soonAfter = origin(at("10.0.0.2", T0.plus(Duration.ofMinutes(3))
        .plusMillis(100)).offer(PATH, SESSION));

    assertEquals(answer.getSessionId(), reOffer.getSessionId());
    assertEquals(SdpBuilder.sessionId(SESSION), answer.getSessionId());
    assertTrue(reOffer.getSessionVersion() > answer.getSessionVersion(),
        reOffer.getSessionVersion() + " after " + answer.getSessionVersion());
    assertTrue(soonAfter.getSessionVersion() > reOffer.getSessionVersion());
    assertTrue(answer.getSessionVersion() < (1L << 62) - 1, "RFC 3264 §5");
    assertTrue(answer.getSessionId() >= 0);
    assertEquals("10.0.0.2", reOffer.getAddress());
  }

  @Test
  void anotherChatHasAnotherOriginId() throws Exception {
    SdpBuilder sdp = at("10.0.0.1", T0);
    assertNotEquals(origin(sdp.offer(PATH, SESSION)).getSessionId(),
        origin(sdp.offer(PATH, "ffffffffffffffffffffffffffffffff")).getSessionId());
  }

  @Test
  void theReaderFindsTheMsrpMediaOfAnAnswerAndWhetherItsPathCanBeReached() throws Exception {
    String passive = at("10.0.0.9", T0).answer("msrp://10.0.0.9:9000/abc;tcp", SESSION,
        "passive").replace("a=setup:active", "a=setup:passive");
    SdpMedia m = media(passive);
    assertTrue(m.passive());
    assertTrue(m.connectable());
    assertTrue(media(passive.replace("msrp://10.0.0.9:9000/abc;tcp", "nowhere")).passive());
    assertTrue(!media(passive.replace("msrp://10.0.0.9:9000/abc;tcp", "nowhere"))
        .connectable());
    assertTrue(SdpMedia.read("").isEmpty());
  }
}
