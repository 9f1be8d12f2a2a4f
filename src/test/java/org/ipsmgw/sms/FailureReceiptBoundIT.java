package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.session.Active;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MessageStatus;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.Translation;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node (H2) with {@code ipsmgw.session.failure-receipts-awaited = 4}, against the SMSC
 * simulator, which as a real SMSC sends a failure-only SMS no receipt when it is delivered:
 * a chat's SMS sent with Failure-Report yes stop being waited on past the bound, and the
 * failure of a recent one still reaches the CPM user as a failure notice.
 */
class FailureReceiptBoundIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SMS_USER = "+447700919201";

  private static EdgeNode edges;
  private static RecordingPorts effects;
  private static AcceptedChats chats;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    props.setProperty("ipsmgw.session.failure-receipts-awaited", "4");
    effects = new RecordingPorts();
    edges = EdgeNode.builder().smsc(SimulatorOptions.defaults()
        .withReceipts(Duration.ofMillis(20), 1.0)).properties(props)
        .ports(effects::sipAndMsrp).start();
    chats = new AcceptedChats(edges.node.system(), effects, WAIT);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  @Test
  void aLongChatWaitsOnItsLastFourFailureOnlySmsAndStillReportsARecentFailure()
      throws Exception {
    String chat = chats.accept("bound-it-" + SMS_USER.substring(1) + "@127.0.0.1", SMS_USER);
    Await.until(() -> edges.smsc.boundSessions() == 1, WAIT, "bound");
    for (int i = 1; i <= 10; i++) {
      send(chat, "msrp-" + i, "delivered " + i);
    }
    Await.until(() -> submits("delivered ") == 10, WAIT, "ten SMS at the SMSC");
    assertTrue(edges.smsc.submits().stream()
        .filter(s -> s.destination().equals(SMS_USER.substring(1)))
        .allMatch(s -> (s.registeredDelivery() & 0x03) == 0x02), "failures asked of the SMSC");
    Await.until(() -> translation(chat).pending().isEmpty(), WAIT, "every SMS accepted");
    Translation t = translation(chat);
    assertTrue(t.awaitingFailureOnly().size() <= 4 && t.inFlight().size() <= 4,
        "at most the bound waits: " + t.inFlight().keySet());
    assertEquals(10, t.toSms());
    assertTrue(t.inFlight().values().stream().anyMatch(m -> "msrp-10".equals(m.msrpMessageId())
        && m.status() == MessageStatus.SUBMITTED), "the latest SMS is still waited on");
    assertFalse(t.inFlight().values().stream().anyMatch(m -> "msrp-1".equals(m.msrpMessageId())),
        "the oldest is no longer");

    edges.smsc.setReceipts(Duration.ofMillis(20), 0.0);
    send(chat, "msrp-failed", "not delivered");
    DeliveryNotice notice = effects.await(chat, DeliveryNotice.class, WAIT);
    assertEquals("msrp-failed", notice.msrpMessageId(), "a recent SMS's failure is reported");
    assertFalse(notice.delivered());
  }

  private static void send(String chat, String msrpId, String text) throws Exception {
    CommandReply reply = chats.ask(chat, r -> new ChatSessionCommand.CpmMessage(msrpId, null,
        text, ReceiptRequest.NONE, true, r));
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }

  private static long submits(String prefix) {
    return edges.smsc.submits().stream()
        .filter(s -> s.destination().equals(SMS_USER.substring(1))
            && s.text().startsWith(prefix))
        .count();
  }

  private static Translation translation(String chat) {
    return ((Active) ClusterSharding.get(edges.node.system())
        .entityRefFor(ChatSession.TYPE_KEY, chat)
        .<org.ipsmgw.session.ChatSessionState>ask(ChatSessionCommand.Get::new, WAIT)
        .toCompletableFuture().join()).translation();
  }
}
