package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.Active;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionState;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.MessageRecord;
import org.ipsmgw.session.MessageStatus;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node (H2) letting go of its SMS work, against the SMSC simulator. Sharding's stop message
 * (what a hand-off, a rebalance or a passivation sends) reaching a chat while the SMSC is still
 * taking one of its SMS: the chat records the submit_sm_resp before it stops, so the incarnation
 * sharding starts next does not submit it again. Then SmppGateway.Drain: a submit_sm in flight at
 * a slow SMSC gets its response recorded before the drain answers, then every bind is closed (the
 * SMSC sends its MO elsewhere), and an SMS the chat sends afterwards is not submitted from here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmppDrainIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CPM = SessionFixtures.CPM_MSISDN;
  private static final String SMS_USER = "+447700919001";
  private static final String HANDED_OFF_USER = "+447700919101";

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static RecordingPorts effects;
  private static AcceptedChats chats;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    effects = new RecordingPorts();
    edges = EdgeNode.builder().smsc(SimulatorOptions.defaults()
        .withReceipts(Duration.ofMillis(50), 1.0)).properties(props)
        .ports(effects::sipAndMsrp).start();
    smsc = edges.smsc;
    node = edges.node;
    chats = new AcceptedChats(node.system(), effects, WAIT);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  @Test
  @Order(1)
  void aChatStoppedWhileTheSmscTakesItsSmsDoesNotSubmitItAgainWhenItStartsNext() throws Exception {
    String chat = chats.accept("handoff-it-" + HANDED_OFF_USER.substring(1) + "@127.0.0.1",
        HANDED_OFF_USER);
    Await.until(() -> smsc.boundSessions() == 1, WAIT, "bound");
    smsc.setSubmitDelay(Duration.ofMillis(1500));
    send(chat, "imdn-at-smsc", "at the SMSC at the stop");
    Await.until(() -> submitsWith(HANDED_OFF_USER, "at the SMSC at the stop") == 1, WAIT,
        "the SMSC has the submit_sm, its response not yet sent");
    ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, chat)
        .tell(new ChatSessionCommand.Stop());
    smsc.setSubmitDelay(Duration.ZERO);

    // The next message starts the chat again if it stopped; once this one is at the SMSC, the
    // recovered chat has resubmitted whatever it found pending.
    send(chat, "imdn-next", "the next message");
    Await.until(() -> submitsWith(HANDED_OFF_USER, "the next message") == 1, WAIT,
        "the next message at the SMSC");
    assertEquals(1, submitsWith(HANDED_OFF_USER, "at the SMSC at the stop"),
        "the SMS the SMSC took during the stop is not submitted again");
  }

  @Test
  @Order(2)
  void drainLetsTheSubmitInFlightSettleThenUnbindsAndHoldsLaterOnes() throws Exception {
    String chat = activeChat();
    Await.until(() -> smsc.boundSessions() == 1, WAIT, "bound");
    smsc.setSubmitDelay(Duration.ofMillis(1500));
    send(chat, "imdn-inflight", "in flight at the drain");
    Await.until(() -> submitsTo(SMS_USER).size() == 1, WAIT, "the SMSC has the submit_sm");

    Done done = AskPattern.<SmppGateway.Command, Done>ask(node.smppGateway(),
        r -> new SmppGateway.Drain(Duration.ofSeconds(20), r), WAIT, node.system().scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Done.getInstance(), done);
    assertEquals(0, smsc.boundSessions(), "every bind closed before Done");
    Await.until(() -> status(chat, "msrp-imdn-inflight") != MessageStatus.PENDING, WAIT,
        "the in-flight SMS recorded as submitted");
    SmppGateway.Status status = AskPattern.<SmppGateway.Command, SmppGateway.Status>ask(
        node.smppGateway(), SmppGateway.GetStatus::new, WAIT, node.system().scheduler())
        .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(0, status.bindsUp());
    assertEquals(List.of(-1), smsc.injectMo(SMS_USER, CPM, "to another node"),
        "no bind left here for the SMSC's MO");

    // Sent after the drain: taken by the chat (durable there), never submitted from this node.
    send(chat, "imdn-after", "after the drain");
    Await.until(() -> status(chat, "msrp-imdn-after") == MessageStatus.PENDING, WAIT,
        "the later SMS is pending in its chat");
    // The gateway answers in order: once it answered this, it has handled the Submit before it.
    AskPattern.<SmppGateway.Command, SmppGateway.Status>ask(node.smppGateway(),
        SmppGateway.GetStatus::new, WAIT, node.system().scheduler()).toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(1, submitsTo(SMS_USER).size(), "nothing more reached the SMSC");
    assertEquals(0, smsc.boundSessions(), "the binds stay closed");
  }

  /** The status of the chat's message with this MSRP id; one that left the chat settled. */
  private static MessageStatus status(String chat, String msrpId) {
    ChatSessionState s = ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY,
        chat).<ChatSessionState>ask(ChatSessionCommand.Get::new, WAIT).toCompletableFuture()
        .join();
    if (!(s instanceof Active a)) {
      return null;
    }
    // Asked for no receipt: once submitted, nothing more happens to it and it leaves the map.
    return a.translation().inFlight().values().stream()
        .filter(m -> msrpId.equals(m.msrpMessageId())).map(MessageRecord::status).findFirst()
        .orElse(MessageStatus.SUBMITTED);
  }

  private static long submitsWith(String msisdn, String text) {
    return submitsTo(msisdn).stream().filter(s -> text.equals(s.text())).count();
  }

  private static List<ReceivedSubmit> submitsTo(String msisdn) {
    return smsc.submits().stream().filter(s -> s.destination().equals(msisdn.substring(1)))
        .toList();
  }
  private static String activeChat() throws Exception {
    return chats.accept("drain-it-" + SMS_USER.substring(1) + "@127.0.0.1", SMS_USER);
  }

  private static void send(String chat, String imdnId, String text) throws Exception {
    CommandReply reply = ask(chat, r -> new ChatSessionCommand.CpmMessage("msrp-" + imdnId,
        imdnId, text, ReceiptRequest.NONE, r));
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }
  private static CommandReply ask(String id,
      java.util.function.Function<ActorRef<CommandReply>, ChatSessionCommand> command)
      throws Exception {
    return chats.ask(id, command);
  }
}
