package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.TestPorts;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Overload: with two new INVITEs waiting for their chats (ipsmgw.sip.max-invites-in-flight = 2),
 * a third is answered "503 Node busy" with Retry-After at once and never reaches a chat; once
 * a chat stored its INVITE, the next new one goes through. A real CPM client over UDP; the chats
 * are a probe that answers only when the test says.
 */
class SipBusyIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static ActorTestKit kit;
  private static TestProbe<ChatSessionCommand> chats;
  private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
  private static SipGateway gateway;
  private static CpmClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    chats = kit.createTestProbe(ChatSessionCommand.class);
    TestProbe<SmsSubscriberCommand> subscribers = kit.createTestProbe(SmsSubscriberCommand.class);
    TestProbe<PagerCommand> pagers = kit.createTestProbe(PagerCommand.class);
    port = TestPorts.free();
    SipSettings settings = new SipSettings("127.0.0.1", port, Set.of(), false, true, "",
        Duration.ofSeconds(60), SipSettings.DEFAULT_T1, SipSettings.DEFAULT_T2,
        SipSettings.DEFAULT_MAX_CALL_ID_LENGTH, SipSettings.DEFAULT_DRAIN_RETRY_AFTER,
        Duration.ofSeconds(20), 2, Duration.ofSeconds(3));
    gateway = new SipGateway(settings, "127.0.0.1", 9, null, id -> chats.ref(),
        id -> pagers.ref(), id -> subscribers.ref(), kit.system().scheduler(),
        Clock.systemUTC(), REGISTRY);
    gateway.start();
    client = new CpmClient("127.0.0.1", TestPorts.free(), "+447700900556");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (gateway != null) {
      gateway.stop();
    }
    kit.shutdownTestKit();
  }

  private static CpmClient.Call invite(int n) throws Exception {
    return client.invite("127.0.0.1", port, "+4477009330" + n,
        "Conversation-ID: Conv-busy-" + n + "\r\nContribution-ID: Contr-busy-" + n + "\r\n"
            + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
  }

  private static ChatSessionCommand.Invite inviteAtChat() {
    return chats.expectMessageClass(ChatSessionCommand.Invite.class, WAIT);
  }

  private static double gauge(String name) {
    var g = REGISTRY.find(name).gauge();
    return g == null ? -1 : g.value();
  }

  private static double refusals() {
    var c = REGISTRY.find("ipsmgw.sip.busy.refusals").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aNewInvitePastTheLimitIs503RetryAfterAtOnceAndReachesNoChat() throws Exception {
    CpmClient.Call first = invite(1);
    ChatSessionCommand.Invite atChat1 = inviteAtChat();
    assertEquals(first.callId(), atChat1.invitation().sessionId());
    invite(2);
    ChatSessionCommand.Invite atChat2 = inviteAtChat();
    assertEquals(2.0, gauge("ipsmgw.sip.invites.in.flight"));

    CpmClient.Call third = invite(3);
    Response busy = client.awaitFinal(third, WAIT);
    assertEquals(503, busy.getStatusCode());
    assertEquals("Node busy", busy.getReasonPhrase());
    RetryAfterHeader retry = (RetryAfterHeader) busy.getHeader(RetryAfterHeader.NAME);
    assertNotNull(retry, "a busy 503 says when to try again");
    assertEquals(3, retry.getRetryAfter());
    assertEquals(1.0, refusals());

    // The first chat stores its INVITE: one place is free again.
    atChat1.replyTo().tell(new CommandReply.Accepted());
    chats.awaitAssert(WAIT, () -> {
      assertEquals(1.0, gauge("ipsmgw.sip.invites.in.flight"));
      return null;
    });
    CpmClient.Call fourth = invite(4);
    // The chat's next INVITE is the fourth: the third never reached it.
    assertEquals(fourth.callId(), inviteAtChat().invitation().sessionId());
    assertEquals(1.0, refusals());
    atChat2.replyTo().tell(new CommandReply.Accepted());
  }
}
