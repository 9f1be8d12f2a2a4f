package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ipsmgw.Await;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.IdleCheck;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReceiveMo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An SMS user's entity asks its shard to stop it once it had nothing to do between two idle
 * checks, and not while an MO is handed over or reassembled. The checks are told by the test
 * (the entity's own timer runs once an hour here) except in the last case; each count of
 * passivations is read after a GetSubscriber answered, so every check told before it was handled.
 */
class SubscriberIdleStopTest {
  private static final ActorTestKit KIT = SubscriberFixtures.kit();
  private static final OperatorPolicy POLICY = SubscriberFixtures.ACCEPT;
  private static final String CPM = "+447700900555";
  private static final AtomicInteger USERS = new AtomicInteger();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A subscriber, its count of passivations asked, and the chat MO SMS go to. */
  private record Subscriber(ActorRef<SmsSubscriberCommand> ref, AtomicInteger passivations,
      LinkedBlockingQueue<SmsFromUser> handedOver) {

    /** Once every command told before it was handled. */
    /** Checks, in pairs: each pair would stop an idle subscriber. */
    void checks(int pairs) {
      for (int i = 0; i < 2 * pairs; i++) {
        ref.tell(new IdleCheck());
      }
    }

    int passivationsSoFar() {
      TestProbe<SubscriberState> state = KIT.createTestProbe();
      ref.tell(new GetSubscriber(state.ref()));
      state.receiveMessage(Duration.ofSeconds(5));
      return passivations.get();
    }
  }

  private static Subscriber subscriber(Duration idleAfter) {
    AtomicInteger passivations = new AtomicInteger();
    LinkedBlockingQueue<SmsFromUser> handedOver = new LinkedBlockingQueue<>();
    // Holds each SMS without answering: the test answers when the hand-over is to end.
    ActorRef<ChatSessionCommand> chat = KIT.spawn(Behaviors.receiveMessage(cmd -> {
      if (cmd instanceof SmsFromUser s) {
        handedOver.add(s);
      }
      return Behaviors.same();
    }));
    String msisdn = "+4477009010" + String.format("%02d", USERS.incrementAndGet());
    ActorRef<SmsSubscriberCommand> ref = KIT.spawn(SmsSubscriber.create(msisdn, () -> POLICY,
        new MoSettings(Duration.ofSeconds(60), true, "[…]", Duration.ofSeconds(30)),
        id -> chat, null, Clock.systemUTC(), SubscriberObserver.NONE, idleAfter,
        self -> passivations.incrementAndGet()));
    TestProbe<Admission> admitted = KIT.createTestProbe();
    ref.tell(new AdmitInvitation("call-" + msisdn + "@cpm.example", CPM, false, admitted.ref()));
    assertEquals(CPM, admitted.receiveMessage(Duration.ofSeconds(5)).correlationMsisdn());
    return new Subscriber(ref, passivations, handedOver);
  }

  private static TestProbe<MoAck> sendMo(Subscriber s, MoPart part) {
    TestProbe<MoAck> ack = KIT.createTestProbe();
    s.ref().tell(new ReceiveMo(CPM, part, ack.ref()));
    return ack;
  }

  @Test
  void aSubscriberIsStoppedAfterACheckThatFoundNothingSinceTheOneBefore() {
    Subscriber s = subscriber(Duration.ofHours(1));
    s.ref().tell(new IdleCheck());
    assertEquals(0, s.passivationsSoFar(), "the admission came since the start");
    // The GetSubscriber of that count is a command too: the next check finds it.
    s.ref().tell(new IdleCheck());
    assertEquals(0, s.passivationsSoFar());
    s.checks(1);
    assertEquals(1, s.passivationsSoFar(), "the second check in a row with nothing between");
  }

  @Test
  void aSubscriberHandingAnMoOverIsNotStoppedUntilItsChatAnswered() throws Exception {
    Subscriber s = subscriber(Duration.ofHours(1));
    TestProbe<MoAck> ack = sendMo(s, new MoPart("single", 1, 1, "hello", Instant.now()));
    SmsFromUser held = s.handedOver().poll(5, TimeUnit.SECONDS);
    assertEquals("hello", held.text());
    s.checks(3);
    assertEquals(0, s.passivationsSoFar(), "checks while the chat holds the MO");

    held.replyTo().tell(new CommandReply.Accepted());
    assertTrue(ack.receiveMessage(Duration.ofSeconds(5)).accepted());
    s.checks(1);
    assertEquals(1, s.passivationsSoFar(), "stopped once the hand-over ended");
  }

  @Test
  void aSubscriberHoldingPartOfALongSmsIsNotStopped() {
    Subscriber s = subscriber(Duration.ofHours(1));
    assertTrue(sendMo(s, new MoPart("udh8:7", 2, 1, "first half ", Instant.now()))
        .receiveMessage(Duration.ofSeconds(5)).accepted(), "the part is stored");
    s.checks(3);
    assertEquals(0, s.passivationsSoFar(), "its reassembly timer lives in this incarnation");
  }

  @Test
  void itsOwnTimerStopsAnIdleSubscriber() throws InterruptedException {
    Subscriber s = subscriber(Duration.ofMillis(100));
    Await.until(() -> s.passivations().get() == 1, Duration.ofSeconds(5),
        "passivation asked by the entity's own checks");
  }
}
