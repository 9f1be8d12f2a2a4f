package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.Active;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionState;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscDelivery;
import org.ipsmgw.sim.SmscSimulator;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts are never acknowledged and then lost: a node on H2 against the SMSC simulator, whose
 * receipts leave the moment their submit_sm_resp did (receipt delay 0), so they race the
 * node's own bookkeeping of the submission; and a receipt that comes before its SMSC id is
 * indexed at all (another node's submission) is stored, acknowledged, and routed by the sweep.
 */
class SmppReceiptSafetyIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CPM = SessionFixtures.CPM_MSISDN;

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static RecordingPorts effects;
  private static AcceptedChats chats;
  private static int nextUser = 300;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    props.setProperty("ipsmgw.smsc.receipt-sweep-interval", "300ms");
    // The held submission keeps being retried for as long as the test needs it pending.
    props.setProperty("ipsmgw.smsc.retry.budget", "100");
    effects = new RecordingPorts();
    edges = EdgeNode.builder().smsc(SimulatorOptions.defaults()
        .withReceipts(Duration.ZERO, 1.0)).properties(props)
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
  void receiptsThatRaceTheirSubmitSmRespAllBecomeNoticesAndAreAcknowledgedOnce()
      throws Exception {
    List<String> chats = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      chats.add(activeChat());
    }
    int perChat = 8;
    for (int n = 0; n < perChat; n++) {
      for (String chat : chats) {
        send(chat, "imdn-race-" + n + "-" + chat.hashCode(), "race " + n,
            ReceiptRequest.SUCCESS_AND_FAILURE);
      }
    }
    for (String chat : chats) {
      for (int n = 0; n < perChat; n++) {
        assertTrue(effects.await(chat, DeliveryNotice.class, WAIT).delivered(),
            "notice " + n + " of " + chat);
      }
    }
    // The deliver_sm_resp of the last receipts follows their notices.
    java.util.Set<String> users = new java.util.HashSet<>();
    chats.forEach(c -> users.add(digits(smsUserOf(c))));
    Await.until(() -> receipts(users).size() == chats.size() * perChat
        && receipts(users).stream().allMatch(r -> r.finalStatus() != null), WAIT,
        "every receipt answered");
    List<SmscDelivery> receipts = receipts(users);
    receipts.forEach(r -> assertTrue(r.accepted(), "receipt acknowledged: " + r));
  }

  @Test
  void aReceiptBeforeItsIdIsIndexedIsStoredAcknowledgedAndRoutedOnceIndexed() throws Exception {
    String chat = activeChat();
    String smsUser = smsUserOf(chat);
    // The submission is held at the SMSC, so the chat's message stays PENDING.
    smsc.throttle(smsUser, Integer.MAX_VALUE);
    try {
      send(chat, "imdn-early", "early receipt", ReceiptRequest.SUCCESS_AND_FAILURE);
      java.util.concurrent.atomic.AtomicReference<String> pending =
          new java.util.concurrent.atomic.AtomicReference<>();
      Await.until(() -> {
        pending.set(pendingRef(chat));
        return pending.get() != null;
      }, WAIT, "the message is pending");
      String ref = pending.get();
      String smscId = "early" + nextUser;
      String text = "id:" + smscId + " sub:001 dlvrd:001 submit date:2601011200 done date:"
          + "2601011201 stat:DELIVRD err:000 text:";
      List<Integer> ack = smsc.injectRaw(digits(smsUser), digits(CPM), List.of(
          new SmscSimulator.MoPdu(text.getBytes(StandardCharsets.ISO_8859_1), 0x04, 0,
              new OptionalParameter[0])));
      assertEquals(List.of(0), ack, "stored, so acknowledged");
      // As if another node submitted it and indexed its id now.
      try (SmscMessageIndex index = SmscMessageIndex.open(edges.config, Clock.systemUTC())) {
        index.put(List.of(smscId), chat, ref);
      }
      DeliveryNotice notice = effects.await(chat, DeliveryNotice.class, WAIT);
      assertTrue(notice.delivered());
      assertEquals("imdn-early", notice.imdnMessageId());
    } finally {
      smsc.throttle(smsUser, 0);
    }
  }

  // --- helpers ---

  /** The receipts the simulator sent for SMS to these users (digits). */
  private static List<SmscDelivery> receipts(java.util.Set<String> users) {
    return smsc.deliveries().stream().filter(d -> d.kind().equals("receipt"))
        .filter(d -> users.contains(d.from())).toList();
  }

  private static String pendingRef(String chat) {
    ChatSessionState s = ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY,
        chat).<ChatSessionState>ask(ChatSessionCommand.Get::new, WAIT).toCompletableFuture()
        .join();
    if (s instanceof Active a && !a.translation().pending().isEmpty()) {
      return a.translation().pending().get(0).ref();
    }
    return null;
  }

  private static String smsUserOf(String chat) {
    return "+" + chat.substring("receipt-it-".length(), chat.indexOf('@'));
  }
  private static String activeChat() throws Exception {
    String smsUser = "+4477009" + (10000 + nextUser++);
    return chats.accept("receipt-it-" + smsUser.substring(1) + "@127.0.0.1", smsUser);
  }

  private static void send(String chat, String imdnId, String text, ReceiptRequest receipt)
      throws Exception {
    CommandReply reply = ask(chat, r -> new ChatSessionCommand.CpmMessage("msrp-" + imdnId,
        imdnId, text, receipt, r));
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }
  private static CommandReply ask(String id,
      java.util.function.Function<ActorRef<CommandReply>, ChatSessionCommand> command)
      throws Exception {
    return chats.ask(id, command);
  }

  private static String digits(String msisdn) {
    return msisdn.substring(1);
  }
}
