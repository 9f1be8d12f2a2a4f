package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.ipsmgw.Await;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReceiveMo;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * MO SMS through the SmsSubscriber: a single SMS goes straight to its chat; parts of a long one
 * are stored (and acknowledged) until the last arrives in any order, then handed over once;
 * incomplete ones are delivered with a marker or dropped when their time is up.
 */
class SmsSubscriberMoTest {
  private static final ActorTestKit KIT = SubscriberFixtures.kit();
  private static final OperatorPolicy POLICY = SubscriberFixtures.ACCEPT;
  private static final String SMS = "+447700900777";
  private static final String CPM = "+447700900555";
  private static final String SESSION = "call-1@cpm.example";
  /** Parts arrive now: the reassembly timeout runs from the first part's arrival. */
  private static final Instant AT = Instant.now();
  private static final AtomicInteger MARKERS = new AtomicInteger();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A chat that records every SMS handed to it and answers Accepted (or nothing). */
  private record FakeChat(TestProbe<SmsFromUser> received, ActorRef<ChatSessionCommand> ref) {
    /**
     * Fails naming the first SMS the subscriber handed to this chat beyond those already taken,
     * for what the subscriber has handled so far. GetSubscriber is handled after every message
     * already in the subscriber's mailbox, whose hand-overs were told to this chat before it
     * returned; the chat forwards in order, so the marker told to it now comes after them all.
     */
    void expectNoMoreEffects(EventSourcedBehaviorTestKit<SmsSubscriberCommand,
        SmsSubscriberEvent, SubscriberState> subscriber) {
      subscriber.<SubscriberState>runCommand(GetSubscriber::new);
      // No replyTo: the chat does not answer it, and no hand-over is ever without one.
      SmsFromUser marker = new SmsFromUser("marker-" + MARKERS.incrementAndGet(), Instant.EPOCH,
          null);
      ref.tell(marker);
      received.expectMessage(marker);
    }
  }

  private static FakeChat chat(boolean answers) {
    TestProbe<SmsFromUser> received = KIT.createTestProbe();
    ActorRef<ChatSessionCommand> ref = KIT.spawn(Behaviors.receiveMessage(cmd -> {
      if (cmd instanceof SmsFromUser s) {
        received.ref().tell(s);
        if (answers && s.replyTo() != null) {
          s.replyTo().tell(new CommandReply.Accepted());
        }
      }
      return Behaviors.same();
    }));
    return new FakeChat(received, ref);
  }

  private static EventSourcedBehaviorTestKit<SmsSubscriberCommand, SmsSubscriberEvent,
      SubscriberState> subscriber(FakeChat chat, MoSettings mo) {
    var esbtk = EventSourcedBehaviorTestKit.<SmsSubscriberCommand, SmsSubscriberEvent,
        SubscriberState>create(KIT.system(), SmsSubscriber.create(SMS, () -> POLICY, mo,
            id -> chat.ref(), Clock.systemUTC()));
    Admission admission = esbtk.<Admission>runCommand(
        r -> new AdmitInvitation(SESSION, CPM, false, r)).reply();
    assertEquals(CPM, admission.correlationMsisdn(), "the chat is correlated with the CPM number");
    return esbtk;
  }

  private static MoSettings settings(Duration timeout, boolean deliverPartial) {
    return new MoSettings(timeout, deliverPartial, "[…]", Duration.ofSeconds(2));
  }

  private static MoPart part(String ref, int total, int seq, String text) {
    return new MoPart(ref, total, seq, text, AT.plusSeconds(seq));
  }

  /** Sends a part and returns the ack the gateway would get. */
  private static MoAck receive(EventSourcedBehaviorTestKit<SmsSubscriberCommand,
      SmsSubscriberEvent, SubscriberState> esbtk, String to, MoPart part) {
    TestProbe<MoAck> ack = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(to, part, ack.ref()));
    return ack.expectMessageClass(MoAck.class, Duration.ofSeconds(5));
  }

  @Test
  void singleSmsGoesToItsChatAndIsAcknowledgedAfterTheChatTookIt() {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    MoAck ack = receive(esbtk, "447700900555", part("single", 1, 1, "hello"));
    assertTrue(ack.accepted());
    SmsFromUser sms = chat.received().receiveMessage();
    assertEquals("hello", sms.text());
    assertEquals(AT.plusSeconds(1), sms.receivedAt());
    assertTrue(esbtk.getState().assemblies().isEmpty(), "a single SMS is never stored");
  }

  @Test
  void partsInAnyOrderWithADuplicateBecomeOneMessageHandedOverOnce() {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    assertTrue(receive(esbtk, CPM, part("udh8:9", 3, 3, "C")).accepted());
    assertTrue(receive(esbtk, CPM, part("udh8:9", 3, 1, "A")).accepted());
    assertTrue(receive(esbtk, CPM, part("udh8:9", 3, 1, "A")).accepted(), "duplicate acked");
    assertEquals(1, esbtk.getState().assemblies().size());
    assertEquals(List.of(2), esbtk.getState().assemblies().values().iterator().next().missing());
    chat.expectNoMoreEffects(esbtk);

    assertTrue(receive(esbtk, CPM, part("udh8:9", 3, 2, "B")).accepted());
    SmsFromUser sms = chat.received().receiveMessage();
    assertEquals("ABC", sms.text());
    assertEquals(AT.plusSeconds(3), sms.receivedAt(), "the time of the first part received");
    assertTrue(esbtk.getState().assemblies().isEmpty(), "closed after the hand-over");
    chat.expectNoMoreEffects(esbtk);
  }

  @Test
  void partsSurviveARestartOfTheEntity() {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    receive(esbtk, CPM, part("sar:300", 2, 2, "world"));
    esbtk.restart();
    assertEquals(1, esbtk.getState().assemblies().size(), "stored part recovered");
    assertTrue(receive(esbtk, CPM, part("sar:300", 2, 1, "hello ")).accepted());
    assertEquals("hello world", chat.received().receiveMessage().text());
  }

  @Test
  void incompleteMessageIsDeliveredWithAMarkerWhenItsTimeIsUp() throws InterruptedException {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, settings(Duration.ofSeconds(1), true));
    // Received now, not at the class's AT: the timeout runs from the first part's arrival, and a
    // slow start of the test (or a loaded machine) must not spend it before the last part is in.
    Instant now = Instant.now();
    receive(esbtk, CPM, new MoPart("udh16:4660", 4, 1, "A", now));
    receive(esbtk, CPM, new MoPart("udh16:4660", 4, 4, "D", now));
    SmsFromUser sms = chat.received().receiveMessage(Duration.ofSeconds(5));
    assertEquals("A[…]D", sms.text());
    // The chat answers after the SMS reached the probe; the close follows that answer.
    Await.until(() -> esbtk.getState().assemblies().isEmpty(), Duration.ofSeconds(5),
        "the assembly closed once its chat took the message");
  }

  @Test
  void incompleteMessageIsDroppedWhenPolicySaysSo() throws InterruptedException {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, settings(Duration.ofMillis(200), false));
    var first = esbtk.runCommand(new ReceiveMo(CPM, part("udh8:1", 2, 1, "half"),
        KIT.<MoAck>createTestProbe().ref()));
    assertInstanceOf(MoPartStored.class, first.event());
    // The timeout's own result is the marker: once the assembly is gone its timer was handled,
    // and whatever that handed to the chat is caught by the check after it.
    Await.until(() -> esbtk.getState().assemblies().isEmpty(), Duration.ofSeconds(5),
        "the assembly closed by its 200 ms timeout");
    chat.expectNoMoreEffects(esbtk);
    assertTrue(esbtk.getState().assemblies().isEmpty(), "dropped after its timeout");
  }

  @Test
  void chatThatDoesNotAnswerMakesTheSmscRetry() {
    FakeChat silent = chat(false);
    var esbtk = subscriber(silent, new MoSettings(Duration.ofSeconds(60), true, "[…]",
        Duration.ofMillis(200)));
    MoAck ack = receive(esbtk, CPM, part("single", 1, 1, "anyone?"));
    assertFalse(ack.accepted());
    assertTrue(ack.reason().contains("chat did not answer"), ack.reason());
  }

  @Test
  void lastPartIsAcknowledgedOnlyAfterTheChatTookTheWholeMessage() {
    FakeChat silent = chat(false);
    var esbtk = subscriber(silent, new MoSettings(Duration.ofSeconds(60), true, "[…]",
        Duration.ofMillis(200)));
    assertTrue(receive(esbtk, CPM, part("udh8:5", 2, 1, "x")).accepted());
    MoAck last = receive(esbtk, CPM, part("udh8:5", 2, 2, "y"));
    assertFalse(last.accepted(), "the SMSC must resend the last part");
    assertEquals(1, esbtk.getState().assemblies().size(), "both parts still kept");
  }

  @Test
  void partArrivingAfterItsDeadlineIsRefusedAndNeitherStoredNorDelivered() {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    TestProbe<MoAck> ack = KIT.createTestProbe();
    Instant passed = Instant.now().minusMillis(1);
    var single = esbtk.runCommand(new ReceiveMo(CPM, part("single", 1, 1, "late"), passed,
        ack.ref()));
    assertFalse(ack.receiveMessage().accepted());
    assertTrue(single.hasNoEvents());
    var ofLong = esbtk.runCommand(new ReceiveMo(CPM, part("udh8:9", 2, 1, "late"), passed,
        ack.ref()));
    assertFalse(ack.receiveMessage().accepted());
    assertTrue(ofLong.hasNoEvents(), "a part after its deadline is not stored");
    chat.expectNoMoreEffects(esbtk);
  }

  @Test
  void resendOfAnMoItsChatTookAfterTheDeadlineIsAcknowledgedAndNotDeliveredAgain()
      throws InterruptedException {
    FakeChat chat = chat(false);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    MoPart ok = part("single", 1, 1, "ok");
    TestProbe<MoAck> edge = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(CPM, ok, Instant.now().plusMillis(300), edge.ref()));
    SmsFromUser first = chat.received().receiveMessage();
    MoAck refused = edge.receiveMessage(Duration.ofSeconds(5));
    assertFalse(refused.accepted(), "no answer by the deadline: the SMSC must resend");
    // The chat persisted it after all, late.
    first.replyTo().tell(new CommandReply.Accepted());
    Await.until(() -> !esbtk.getState().takenLate().isEmpty(), Duration.ofSeconds(5),
        "the late take is remembered");
    TestProbe<MoAck> resend = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(CPM, ok, Instant.now().plusSeconds(4), resend.ref()));
    assertTrue(resend.receiveMessage().accepted(), "the SMSC's resend is acknowledged");
    chat.expectNoMoreEffects(esbtk);
    assertTrue(esbtk.getState().takenLate().isEmpty(), "recognised once only");
    // The user really sends "ok" again: it is delivered.
    TestProbe<MoAck> again = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(CPM, ok, Instant.now().plusSeconds(4), again.ref()));
    SmsFromUser second = chat.received().receiveMessage();
    assertEquals("ok", second.text());
    second.replyTo().tell(new CommandReply.Accepted());
    assertTrue(again.receiveMessage().accepted());
  }

  @Test
  void resendWhileTheHandoverIsUnderWayWaitsForItInsteadOfDeliveringTwice()
      throws InterruptedException {
    FakeChat chat = chat(false);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    TestProbe<MoAck> edge = KIT.createTestProbe();
    MoPart last = part("udh8:6", 2, 2, "b");
    assertTrue(receive(esbtk, CPM, part("udh8:6", 2, 1, "a")).accepted());
    esbtk.runCommand(new ReceiveMo(CPM, last, Instant.now().plusMillis(300), edge.ref()));
    SmsFromUser handed = chat.received().receiveMessage();
    assertEquals("ab", handed.text());
    assertFalse(edge.receiveMessage(Duration.ofSeconds(5)).accepted());
    TestProbe<MoAck> resend = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(CPM, last, Instant.now().plusSeconds(4), resend.ref()));
    chat.expectNoMoreEffects(esbtk);
    handed.replyTo().tell(new CommandReply.Accepted());
    assertTrue(resend.receiveMessage().accepted(), "the resend is answered by the one hand-over");
    Await.until(() -> esbtk.getState().assemblies().isEmpty(), Duration.ofSeconds(5),
        "the assembly closed");
    assertTrue(esbtk.getState().takenLate().isEmpty(), "the SMSC is done: nothing to recognise");
  }

  @Test
  void aWholeMessageItsChatHasNotConfirmedIsHandedOverAgainAfterTheSubscriberRecovers()
      throws InterruptedException {
    FakeChat chat = chat(false);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    assertTrue(receive(esbtk, CPM, part("udh8:7", 2, 1, "a")).accepted());
    TestProbe<MoAck> edge = KIT.createTestProbe();
    esbtk.runCommand(new ReceiveMo(CPM, part("udh8:7", 2, 2, "b"), Instant.now().plusMillis(200),
        edge.ref()));
    assertEquals("ab", chat.received().receiveMessage().text());
    assertFalse(edge.receiveMessage(Duration.ofSeconds(5)).accepted());
    // The subscriber's node dies; it recovers (here or on another node) from its journal.
    esbtk.restart();
    SmsFromUser again = chat.received().receiveMessage(Duration.ofSeconds(5));
    assertEquals("ab", again.text(), "handed over again until the chat confirms");
    again.replyTo().tell(new CommandReply.Accepted());
    Await.until(() -> esbtk.getState().assemblies().isEmpty(), Duration.ofSeconds(5),
        "closed once its chat confirmed");
  }

  @Test
  void smsToANumberWithNoChatIsAcknowledgedAndNotForwarded() {
    FakeChat chat = chat(true);
    var esbtk = subscriber(chat, MoSettings.DEFAULT);
    assertTrue(receive(esbtk, "+447700900999", part("single", 1, 1, "wrong number")).accepted());
    chat.expectNoMoreEffects(esbtk);
  }

  /**
   * FailoverIT saw it on a graceful leave: the subscriber was handed off while its chat was
   * taking an MO; the edge, answered by nobody, told the SMSC to resend, and the resend reached
   * the chat a second time. Handed off mid-way, the subscriber now first hears its chat out.
   */
  @Test
  void aSubscriberHandedOffMidHandoverStopsOnlyAfterItsChatAnswered() {
    FakeChat chat = chat(false);
    ActorRef<SmsSubscriberCommand> subscriber = KIT.spawn(SmsSubscriber.create("+447700900778",
        () -> POLICY, MoSettings.DEFAULT, id -> chat.ref(), Clock.systemUTC()));
    TestProbe<Admission> admitted = KIT.createTestProbe();
    subscriber.tell(new AdmitInvitation(SESSION, CPM, false, admitted.ref()));
    assertEquals(CPM, admitted.receiveMessage().correlationMsisdn());
    TestProbe<MoAck> edge = KIT.createTestProbe();
    subscriber.tell(new ReceiveMo(CPM, part("single", 1, 1, "ok"), Instant.now().plusSeconds(4),
        edge.ref()));
    SmsFromUser handed = chat.received().receiveMessage();
    subscriber.tell(new SmsSubscriberCommand.Stop());
    // Answered after the Stop: still running.
    TestProbe<SubscriberState> state = KIT.createTestProbe();
    subscriber.tell(new GetSubscriber(state.ref()));
    state.receiveMessage();
    handed.replyTo().tell(new CommandReply.Accepted());
    assertTrue(edge.receiveMessage().accepted(), "the edge hears what the chat did");
    edge.expectTerminated(subscriber);
  }

  @Test
  void anIdleSubscriberStopsAtOnceWhenHandedOff() {
    ActorRef<SmsSubscriberCommand> subscriber = KIT.spawn(SmsSubscriber.create("+447700900779",
        () -> POLICY));
    TestProbe<SubscriberState> watcher = KIT.createTestProbe();
    subscriber.tell(new SmsSubscriberCommand.Stop());
    watcher.expectTerminated(subscriber);
  }
}
