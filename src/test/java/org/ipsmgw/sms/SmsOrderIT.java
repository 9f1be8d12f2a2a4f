package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpPathId;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.Parties;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.session.SipResponse;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SmscSimulator;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chat's messages leave in the order they came, in both directions, on a real node (H2
 * journal, its own SMPP edge and MSRP endpoint) against the SMSC simulator and an MSRP client
 * over TCP: across a throttled first submit, a bind dropped mid-submit and load, while another
 * chat's SMS do not wait behind a throttled one; and MO SMS reach the CPM user in order even when
 * the first must wait for the MSRP connection.
 */
class SmsOrderIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CPM = SessionFixtures.CPM_MSISDN;
  private static final String CLIENT = "msrp://127.0.0.1:7396/order;tcp";

  private static EdgeNode edges;
  private static SmscSimulator smsc;
  private static RunningNode node;
  private static RecordingPorts sip;
  private static int nextUser = 100;

  @BeforeAll
  static void start() throws Exception {
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    props.setProperty("ipsmgw.smsc.response-timeout", "1s");
    props.setProperty("ipsmgw.smsc.reconnect.min-backoff", "200ms");
    props.setProperty("ipsmgw.smsc.reconnect.max-backoff", "1s");
    props.setProperty("ipsmgw.smsc.retry.min-backoff", "100ms");
    props.setProperty("ipsmgw.smsc.retry.max-backoff", "500ms");
    props.setProperty("ipsmgw.smsc.retry.budget", "40");
    sip = new RecordingPorts();
    // SIP recorded (the chats are invited through their entities); MSRP and SMPP are the node's.
    edges = EdgeNode.builder().properties(props).ports(sip::sip).start();
    smsc = edges.smsc;
    node = edges.node;
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  @Test
  void aThrottledFirstSubmitKeepsItsPlaceBeforeTheLaterOnes() throws Exception {
    Chat chat = activeChat();
    smsc.throttle(chat.smsUser(), 2);
    sendAll(chat, 5);
    assertEquals(texts(5), firstArrivals(chat, 5));
    assertEquals(2, submits(chat).stream()
        .filter(s -> s.status() == SMPPConstant.STAT_ESME_RTHROTTLED).count(),
        "the first submit was throttled twice");
    assertEquals("m1", text(submits(chat).get(0)), "what was throttled was the first message");
  }

  @Test
  void aBindDroppedMidSubmitKeepsTheOrderOfFirstArrivals() throws Exception {
    Chat chat = activeChat();
    smsc.dropBindOnNextSubmit(chat.smsUser());
    sendAll(chat, 5);
    assertEquals(texts(5), firstArrivals(chat, 5));
    List<ReceivedSubmit> all = submits(chat);
    assertTrue(all.size() >= 6, "m1 was accepted, lost with its bind and submitted again "
        + "(at least once): " + all.stream().map(SmsOrderIT::text).toList());
    awaitTrue(() -> smsc.boundSessions() == 1, "bound again");
  }

  @Test
  void anotherChatIsNotHeldUpByAThrottledOne() throws Exception {
    Chat throttled = activeChat();
    Chat other = activeChat();
    smsc.throttle(throttled.smsUser(), Integer.MAX_VALUE);
    try {
      send(throttled, "t1");
      awaitTrue(() -> !submits(throttled).isEmpty(), "the throttled chat's first attempt");
      send(other, "o1");
      awaitTrue(() -> accepted(other).size() == 1, "the other chat's SMS");
      assertTrue(accepted(throttled).isEmpty(),
          "the other chat's SMS arrived while the throttled one was still being retried");
    } finally {
      smsc.throttle(throttled.smsUser(), 0);
    }
    awaitTrue(() -> accepted(throttled).size() == 1, "the throttled chat's SMS once released");
  }

  @Test
  void manyChatsUnderLoadEachKeepTheirOrder() throws Exception {
    int chats = 20;
    int messages = 50;
    List<Chat> all = new ArrayList<>();
    for (int i = 0; i < chats; i++) {
      all.add(activeChat());
    }
    // Every chat's messages are handed to the node at once: 50 outstanding per chat.
    List<CompletableFuture<CommandReply>> replies = new ArrayList<>();
    for (int m = 1; m <= messages; m++) {
      for (Chat chat : all) {
        replies.add(askAsync(chat.id(), "m" + m));
      }
    }
    for (CompletableFuture<CommandReply> r : replies) {
      assertTrue(r.get(WAIT.toSeconds(), TimeUnit.SECONDS) instanceof CommandReply.Accepted);
    }
    for (Chat chat : all) {
      assertEquals(texts(messages), firstArrivals(chat, messages), "order of " + chat.smsUser());
    }
  }

  @Test
  void moSmsInQuickSuccessionReachTheCpmUserInOrder() throws Exception {
    Chat chat = activeChat();
    // The first MO finds no MSRP connection yet: it waits for one, and the later ones behind it.
    assertEquals(List.of(0), smsc.injectMo(chat.smsUser(), CPM, "mo1"));
    try (MsrpClient msrp = new MsrpClient("127.0.0.1", node.msrpPort(), CLIENT)) {
      msrp.send(MsrpWriter.send("bind-order", chat.path(), CLIENT, "bind-order",
          ByteRange.whole(0), false, null, "text/plain", new byte[0], '$'));
      assertEquals(200, msrp.responseTo("bind-order", WAIT).status());
      for (int i = 2; i <= 5; i++) {
        assertEquals(List.of(0), smsc.injectMo(chat.smsUser(), CPM, "mo" + i));
      }
      List<String> received = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        MsrpFrame send = msrp.nextRequest(WAIT);
        msrp.send(MsrpWriter.response(send, CLIENT, 200, "OK"));
        received.add(CpimCodec.parse(send.body()).bodyText());
      }
      assertEquals(List.of("mo1", "mo2", "mo3", "mo4", "mo5"), received);
    }
  }

  // --- helpers ---

  private record Chat(String id, String smsUser, String path) {}

  /** An accepted chat (policy ACCEPT) between the fixture's CPM user and a fresh SMS user. */
  private static Chat activeChat() throws Exception {
    String smsUser = "+4477008" + (10000 + nextUser++);
    String id = "order-it-" + smsUser.substring(1) + "@127.0.0.1";
    Invitation t = SessionFixtures.invitation(id);
    Invitation invitation = new Invitation(id, t.ids(),
        new Parties(t.parties().cpmIdentity(), CPM, "Alice", smsUser), t.sip(), t.sdpOffer(),
        false, Instant.now());
    assertTrue(ask(id, r -> new ChatSessionCommand.Invite(invitation, r))
        instanceof CommandReply.Accepted);
    SipResponse ok = sip.await(id, SipResponse.class, WAIT);
    assertEquals(200, ok.status());
    ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id)
        .tell(new ChatSessionCommand.AckReceived());
    return new Chat(id, smsUser, new MsrpPathId(id, ok.msrpSessionId())
        .uri("127.0.0.1", node.msrpPort()));
  }

  /** m1..mN, each accepted (persisted) by the chat before the next is sent. */
  private static void sendAll(Chat chat, int count) throws Exception {
    for (String text : texts(count)) {
      send(chat, text);
    }
  }

  private static void send(Chat chat, String text) throws Exception {
    CommandReply reply = askAsync(chat.id(), text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(reply instanceof CommandReply.Accepted, "CPM message accepted: " + reply);
  }

  private static CompletableFuture<CommandReply> askAsync(String id, String text) {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id)
        .<CommandReply>ask(r -> new ChatSessionCommand.CpmMessage("msrp-" + text, "imdn-" + text,
            text, ReceiptRequest.NONE, r), WAIT)
        .toCompletableFuture();
  }

  private static CommandReply ask(String id,
      Function<ActorRef<CommandReply>, ChatSessionCommand> command) throws Exception {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id)
        .ask(command::apply, WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static List<String> texts(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "m" + i).toList();
  }

  /** The distinct texts accepted by the SMSC for the chat, in order of first arrival. */
  private static List<String> firstArrivals(Chat chat, int count) throws Exception {
    awaitTrue(() -> distinctAccepted(chat).size() >= count, count + " SMS to " + chat.smsUser());
    return distinctAccepted(chat);
  }

  private static List<String> distinctAccepted(Chat chat) {
    return new ArrayList<>(new LinkedHashSet<>(accepted(chat).stream().map(SmsOrderIT::text)
        .toList()));
  }

  private static List<ReceivedSubmit> submits(Chat chat) {
    String dest = chat.smsUser().substring(1);
    return smsc.submits().stream().filter(s -> s.destination().equals(dest)).toList();
  }

  private static List<ReceivedSubmit> accepted(Chat chat) {
    return submits(chat).stream().filter(ReceivedSubmit::accepted).toList();
  }

  private static String text(ReceivedSubmit s) {
    return Gsm7Alphabet.decode(s.shortMessage(), 0, s.shortMessage().length);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
    Await.until(condition, WAIT, what);
  }
}
