package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sharding's stop message (what a hand-off, a rebalance or a passivation sends) reaching a chat
 * on a node (H2) while the SMSC simulator is still taking one of its SMS: the chat records the
 * submit_sm_resp before it stops, so the incarnation sharding starts next does not submit it again.
 */
class SmppHandOffIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SMS_USER = "+447700919101";

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static AcceptedChats chats;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    RecordingPorts effects = new RecordingPorts();
    edges = EdgeNode.builder().smsc(SimulatorOptions.defaults()).properties(props)
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
  void aChatStoppedWhileTheSmscTakesItsSmsDoesNotSubmitItAgainWhenItStartsNext() throws Exception {
    String chat = chats.accept("handoff-it-" + SMS_USER.substring(1) + "@127.0.0.1", SMS_USER);
    Await.until(() -> smsc.boundSessions() == 1, WAIT, "bound");
    smsc.setSubmitDelay(Duration.ofMillis(1500));
    send(chat, "imdn-at-smsc", "at the SMSC at the stop");
    Await.until(() -> submitsWith("at the SMSC at the stop") == 1, WAIT,
        "the SMSC has the submit_sm, its response not yet sent");
    ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, chat)
        .tell(new ChatSessionCommand.Stop());
    smsc.setSubmitDelay(Duration.ZERO);

    // The next message starts the chat again if it stopped; once this one is at the SMSC, the
    // recovered chat has resubmitted whatever it found pending.
    send(chat, "imdn-next", "the next message");
    Await.until(() -> submitsWith("the next message") == 1, WAIT, "the next message at the SMSC");
    assertEquals(1, submitsWith("at the SMSC at the stop"),
        "the SMS the SMSC took during the stop is not submitted again");
  }

  private static long submitsWith(String text) {
    List<ReceivedSubmit> all = smsc.submits();
    return all.stream().filter(s -> s.destination().equals(SMS_USER.substring(1))
        && text.equals(s.text())).count();
  }

  private static void send(String chat, String imdnId, String text) throws Exception {
    CommandReply reply = chats.ask(chat, (ActorRef<CommandReply> r) ->
        new ChatSessionCommand.CpmMessage("msrp-" + imdnId, imdnId, text, ReceiptRequest.NONE, r));
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }
}
