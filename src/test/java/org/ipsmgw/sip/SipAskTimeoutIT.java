package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.sip.message.Request;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.TestPorts;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIP gateway asks a chat (INVITE) or the SMS user and pager conversation (MESSAGE) and gets
 * no answer in time: the CPM client is answered 503 and the gateway counts the ask timeout by
 * request. A real CPM client over UDP; the entities are probes that never answer.
 */
class SipAskTimeoutIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String IDS = "Conversation-ID: Conv-ask-1\r\nContribution-ID: Contr-ask-1"
      + "\r\n";

  private static ActorTestKit kit;
  private static TestProbe<ChatSessionCommand> chats;
  private static TestProbe<SmsSubscriberCommand> subscribers;
  private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
  private static SipGateway gateway;
  private static CpmClient client;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    chats = kit.createTestProbe(ChatSessionCommand.class);
    subscribers = kit.createTestProbe(SmsSubscriberCommand.class);
    TestProbe<PagerCommand> pagers = kit.createTestProbe(PagerCommand.class);
    port = TestPorts.free();
    SipSettings settings = new SipSettings("127.0.0.1", port, Set.of(), false, true, "",
        Duration.ofSeconds(60), SipSettings.DEFAULT_T1, SipSettings.DEFAULT_T2,
        SipSettings.DEFAULT_MAX_CALL_ID_LENGTH, SipSettings.DEFAULT_DRAIN_RETRY_AFTER,
        Duration.ofMillis(700));
    gateway = new SipGateway(settings, "127.0.0.1", 9, null, id -> chats.ref(),
        id -> pagers.ref(), id -> subscribers.ref(), kit.system().scheduler(),
        Clock.systemUTC(), REGISTRY);
    gateway.start();
    client = new CpmClient("127.0.0.1", TestPorts.free(), "+447700900555");
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

  private static double timeouts(String request) {
    var counter = REGISTRY.find("ipsmgw.entity.ask.timeouts").tags("edge", "sip", "request",
        request).counter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  void anInviteItsChatDoesNotAnswerIs503AndAnAskTimeout() throws Exception {
    assertEquals(0.0, timeouts("INVITE"), "registered at 0 from the start");
    CpmClient.Call call = client.invite("127.0.0.1", port, "+447700932001",
        IDS + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
    chats.expectMessageClass(ChatSessionCommand.Invite.class, WAIT);
    assertEquals(503, client.awaitFinal(call, WAIT).getStatusCode());
    assertEquals(1.0, timeouts("INVITE"));
  }

  @Test
  void aPagerMessageNobodyStoresIs503AndAnAskTimeout() throws Exception {
    assertEquals(0.0, timeouts("MESSAGE"), "registered at 0 from the start");
    CpmClient.Call message = client.outOfDialog(Request.MESSAGE, "127.0.0.1", port,
        "+447700932002", IDS + "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
            + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n", "message/cpim",
        "From: <sip:+447700900555@127.0.0.1>\r\nTo: <tel:+447700932002>\r\n"
            + "DateTime: 2026-11-30T10:00:00Z\r\n\r\nContent-Type: text/plain\r\n\r\nhi");
    assertEquals(503, client.awaitFinal(message, WAIT).getStatusCode());
    assertEquals(1.0, timeouts("MESSAGE"));
  }
}
