package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.msrp.MsrpMedia;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a final response to one of the gateway's INVITEs does, without a stack: the chat hears
 * of its first INVITE's outcome, a passive answer is connected to, and nothing stays pending.
 */
class OwnInvitesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final SipFactories F = SipFactories.create();
  private static final SipSettings SETTINGS = new SipSettings("10.0.0.1", 5060, Set.of(),
      false, true);
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv", "contr", null, null);
  private static final SipRequests REQUESTS = new SipRequests(F, SETTINGS, Clock.systemUTC());

  /** What the gateway asked of the MSRP endpoint. */
  private static final class Connections implements MsrpMedia {
    final List<String> connected = new ArrayList<>();

    @Override
    public String pathUri(String callId, String msrpSessionId) {
      return "msrp://10.0.0.1:2855/" + msrpSessionId + ";tcp";
    }

    @Override
    public void connect(String peerPath, String callId, String msrpSessionId) {
      connected.add(peerPath + " " + callId + " " + msrpSessionId);
    }
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static Response answer(String callId, int status, String sdp) throws Exception {
    InviteContext own = new InviteContext("tel:+447700900555", List.of(),
        "<tel:+447700900555>", "<tel:+447700940001>", callId, 1, null,
        "sip:+447700900555@10.0.0.9:5090", List.of());
    Request invite = REQUESTS.inDialog(new SipRequest(callId, "INVITE", own, "gw1", IDS,
        "msrp-1"), "v=0\r\n");
    Response r = F.messages().createResponse(status, invite);
    ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("cpm1");
    if (sdp != null) {
      r.setContent(sdp, F.headers().createContentTypeHeader("application", "sdp"));
    }
    return r;
  }

  private static OwnInvites ownInvites(PendingInvites pending, MsrpMedia msrp,
      TestProbe<ChatSessionCommand> chat) {
    return ownInvites(pending, msrp, chat, new ArrayList<>());
  }

  /** @param later where the tasks it would run later go, with their delays */
  private static OwnInvites ownInvites(PendingInvites pending, MsrpMedia msrp,
      TestProbe<ChatSessionCommand> chat, List<Map.Entry<Duration, Runnable>> later) {
    // No provider: the ACK of a 2xx fails to leave, which these tests do not look at.
    Transactions transactions = new Transactions(() -> null,
        new SipMetrics(new SimpleMeterRegistry()), new SipResponses(F, SETTINGS));
    return new OwnInvites(REQUESTS, transactions, pending,
        new SdpBuilder("10.0.0.1", 2855, Clock.systemUTC()), msrp, id -> chat.ref(),
        (delay, task) -> later.add(Map.entry(delay, task)),
        SipSettings.DEFAULT_T1);
  }

  @Test
  void aReInviteThatFailsLeavesNothingPendingAndTellsTheChatItsMediaIsLost() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    pending.addSent("re-1", new PendingInvite.Sent(null, IDS, List.of(), null, false));

    ownInvites(pending, new Connections(), chat).answered(answer("re-1", 481, null));

    assertEquals(0, pending.size());
    ChatSessionCommand.ReInviteFailed failed =
        chat.expectMessageClass(ChatSessionCommand.ReInviteFailed.class);
    assertEquals(481, failed.status());
  }

  @Test
  void aReInviteThatTimesOutTellsTheChat408() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    Request reInvite = REQUESTS.inDialog(reInvite("re-2", List.of()), "v=0\r\n");
    pending.addSent("re-2", new PendingInvite.Sent(null, IDS, List.of(), null, false));
    ClientTransaction tx = (ClientTransaction) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ClientTransaction.class},
        (proxy, method, args) -> method.getName().equals("getRequest") ? reInvite : null);

    ownInvites(pending, new Connections(), chat).timedOut(tx);

    assertEquals(408, chat.expectMessageClass(ChatSessionCommand.ReInviteFailed.class)
        .status());
    assertEquals(0, pending.size());
  }

  /** A re-INVITE of a confirmed dialog; {@code via} empty: the gateway chose the Call-ID. */
  private static SipRequest reInvite(String callId, List<String> via) {
    InviteContext d = new InviteContext("tel:+447700900555", via, "<tel:+447700900555>;tag=cpm1",
        "<tel:+447700940001>", callId, 1, "cpm1", "sip:+447700900555@10.0.0.9:5090;transport=udp",
        List.of());
    return new SipRequest(callId, "INVITE", d, "gw1", IDS, "msrp-1");
  }

  @Test
  void aReInviteThatCannotBeSentTellsTheChat503AndIsNotRetried() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    List<Map.Entry<Duration, Runnable>> later = new ArrayList<>();
    // No provider here: the send fails at once, as it does when no connection can be had.
    ownInvites(pending, new Connections(), chat, later).send(reInvite("re-3", List.of()));

    ChatSessionCommand.ReInviteFailed failed =
        chat.expectMessageClass(ChatSessionCommand.ReInviteFailed.class);
    assertEquals(503, failed.status());
    assertTrue(failed.reason().startsWith("re-INVITE not sent"), failed.reason());
    assertEquals(List.of(), later);
    assertEquals(0, pending.size());
  }

  @Test
  void aFirstInvitesErrorIsNoReInviteFailure() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    pending.addSent("own-9", new PendingInvite.Sent(null, IDS, null, "msrp-9", false));

    ownInvites(pending, new Connections(), chat).answered(answer("own-9", 481, null));

    chat.expectMessageClass(ChatSessionCommand.OriginationOutcome.class);
    chat.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aRefusedFirstInviteIsTheChatsOutcomeAndLeavesNothingPending() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    pending.addSent("own-1", new PendingInvite.Sent(null, IDS, null, "msrp-1", false));

    ownInvites(pending, new Connections(), chat).answered(answer("own-1", 486, null));

    ChatSessionCommand.OriginationOutcome outcome =
        chat.expectMessageClass(ChatSessionCommand.OriginationOutcome.class);
    assertEquals(486, outcome.status());
    assertEquals("cpm1", outcome.remoteTag());
    assertEquals(0, pending.size());
  }

  @Test
  void aPassiveAnswerIsReadWithTheOfferReaderAndConnectedTo() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    Connections msrp = new Connections();
    pending.addSent("own-2", new PendingInvite.Sent(null, IDS, null, "msrp-2", false));
    String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
        + "m=message 9000 TCP/MSRP *\r\n"
        + "a=path:msrp://10.0.0.8:9001/relay;tcp msrp://10.0.0.9:9000/cpm;tcp\r\n"
        + "a=accept-types:message/cpim\r\na=SETUP:Passive\r\n";

    ownInvites(pending, msrp, chat).answered(answer("own-2", 200, sdp));

    assertEquals(200, chat.expectMessageClass(ChatSessionCommand.OriginationOutcome.class)
        .status());
    assertEquals(List.of("msrp://10.0.0.8:9001/relay;tcp msrp://10.0.0.9:9000/cpm;tcp own-2 "
        + "msrp-2"), msrp.connected);
    assertEquals(0, pending.size());
  }

  @Test
  void anActiveAnswerIsNotConnectedTo() throws Exception {
    PendingInvites pending = new PendingInvites();
    Connections msrp = new Connections();
    pending.addSent("own-3", new PendingInvite.Sent(null, IDS, null, "msrp-3", false));
    String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
        + "m=message 9000 TCP/MSRP *\r\na=path:msrp://10.0.0.9:9000/cpm;tcp\r\n"
        + "a=accept-types:message/cpim\r\na=setup:active\r\n";

    ownInvites(pending, msrp, KIT.createTestProbe()).answered(answer("own-3", 200, sdp));

    assertEquals(List.of(), msrp.connected);
  }

  @Test
  void aLateOkToACancelledInviteStillGoesToTheChatForItsBye() throws Exception {
    PendingInvites pending = new PendingInvites();
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    pending.addSent("own-4", new PendingInvite.Sent(null, IDS, null, "msrp-4", false));
    pending.cancel("own-4");

    ownInvites(pending, new Connections(), chat).answered(answer("own-4", 200, null));

    assertEquals(200, chat.expectMessageClass(ChatSessionCommand.OriginationOutcome.class)
        .status());
    assertEquals(0, pending.size());
    assertNull(pending.received("own-4").orElse(null));
  }
}
