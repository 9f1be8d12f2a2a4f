package org.ipsmgw.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.subscriber.Admission;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Sharding's stop message (hand-off, rebalance, passivation) on a running chat entity, spawned
 * as sharding spawns it: the chat stops only once the SMSC's answer to each SMS it submitted is
 * recorded, so the incarnation that takes over does not submit it again.
 */
class ChatHandOffTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ChatTestKit.config());
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(12);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** One chat entity, its ports and subscriber stand-ins; {@link #spawn} starts an incarnation. */
  private static final class Chat {
    final String id = "handoff-" + SEQ.incrementAndGet() + "@cpm.example";
    final RecordingPorts ports = new RecordingPorts(KIT);
    final TestProbe<SmsSubscriberCommand> subscriber = KIT.createTestProbe();
    final OperatorPolicy policy = SessionFixtures.policy("");
    final ChatSessionSettings settings = new ChatSessionSettings(() -> policy, Clock.systemUTC(),
        Duration.ofSeconds(5), SessionObserver.NONE, ChatSessionSettings.DEFAULT_ACK_TIMEOUT, WAIT);

    /** Told each time the chat asks its shard to passivate it (it has ended). */
    final TestProbe<String> shard = KIT.createTestProbe();

    ActorRef<ChatSessionCommand> spawn() {
      return KIT.spawn(ChatSession.create(id, settings, ports.ports(), msisdn -> subscriber.ref(),
          self -> shard.ref().tell("passivate")));
    }

    /** A new chat accepted on behalf and ACKed. */
    ActorRef<ChatSessionCommand> active() {
      ActorRef<ChatSessionCommand> chat = spawn();
      TestProbe<CommandReply> replies = KIT.createTestProbe();
      chat.tell(new ChatSessionCommand.Invite(SessionFixtures.invitation(id), replies.ref()));
      AdmitInvitation admit = subscriber.expectMessageClass(AdmitInvitation.class);
      admit.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.ACCEPT,
          DecisionSource.USER, 0, "user choice"), "+447700900100"));
      replies.expectMessage(new CommandReply.Accepted());
      ports.expectResponse(200);
      chat.tell(new ChatSessionCommand.AckReceived());
      return chat;
    }

    /** A CPM user's message, accepted; returns what the chat gave the SMPP edge. */
    SmsSubmission message(ActorRef<ChatSessionCommand> chat, String n) {
      TestProbe<CommandReply> replies = KIT.createTestProbe();
      chat.tell(new ChatSessionCommand.CpmMessage("msrp-" + n, "imdn-" + n, "text " + n,
          ReceiptRequest.NONE, replies.ref()));
      replies.expectMessage(new CommandReply.Accepted());
      return ports.expectSms();
    }

    ChatSessionState state(ActorRef<ChatSessionCommand> chat) {
      TestProbe<ChatSessionState> got = KIT.createTestProbe();
      chat.tell(new ChatSessionCommand.Get(got.ref()));
      return got.receiveMessage();
    }
  }

  @Test
  void aChatAskedToStopWithAnSmsAtTheSmscStopsOnlyOnceItsAnswerIsRecorded() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> first = c.active();
    SmsSubmission sms = c.message(first, "1");
    assertEquals(first, sms.session(), "the edge answers the chat itself, not through sharding");

    first.tell(new ChatSessionCommand.Stop());
    // Still running: it answers a Get, handled after the stop message.
    Active waiting = assertInstanceOf(Active.class, c.state(first));
    assertEquals(1, waiting.translation().pending().size());

    first.tell(new ChatSessionCommand.SmsSubmitted(sms.messageRef(), List.of("smsc-1")));
    KIT.createTestProbe().expectTerminated(first, Duration.ofSeconds(5));

    ActorRef<ChatSessionCommand> next = c.spawn();
    Active recovered = assertInstanceOf(Active.class, c.state(next));
    assertTrue(recovered.translation().pending().isEmpty(),
        "the answer was recorded before the stop: nothing left to submit again");
    // A second message is the next SMS the new incarnation submits: the first was not resent.
    assertEquals("text 2", c.message(next, "2").text());
  }

  @Test
  void aStoppingChatWaitsForTheEdgesBatchOfAcceptancesAndAnswersItOnceRecorded() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> first = c.active();
    SmsSubmission one = c.message(first, "1");
    SmsSubmission two = c.message(first, "2");
    first.tell(new ChatSessionCommand.Stop());
    assertEquals(2, assertInstanceOf(Active.class, c.state(first)).translation().pending()
        .size(), "still running, both pending");

    TestProbe<CommandReply> recorded = KIT.createTestProbe();
    first.tell(new ChatSessionCommand.SmsSubmittedBatch(List.of(
        new ChatSessionCommand.SmsSubmitted(one.messageRef(), List.of("smsc-1")),
        new ChatSessionCommand.SmsSubmitted(two.messageRef(), List.of("smsc-2"))),
        recorded.ref()));
    recorded.expectMessage(new CommandReply.Accepted());
    KIT.createTestProbe().expectTerminated(first, Duration.ofSeconds(5));

    ActorRef<ChatSessionCommand> next = c.spawn();
    assertTrue(assertInstanceOf(Active.class, c.state(next)).translation().pending().isEmpty(),
        "both acceptances were recorded before the stop");
    assertEquals("text 3", c.message(next, "3").text());
  }

  @Test
  void aChatWithNothingAtTheSmscStopsAtOnce() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> chat = c.active();
    SmsSubmission sms = c.message(chat, "1");
    chat.tell(new ChatSessionCommand.SmsSubmitted(sms.messageRef(), List.of("smsc-1")));
    chat.tell(new ChatSessionCommand.Stop());
    KIT.createTestProbe().expectTerminated(chat, Duration.ofSeconds(5));
  }

  @Test
  void anSmsTheLeavingNodesEdgeHeldDoesNotKeepTheChatFromStopping() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> chat = c.active();
    SmsSubmission sms = c.message(chat, "1");
    chat.tell(new ChatSessionCommand.Stop());
    assertInstanceOf(Active.class, c.state(chat));
    chat.tell(new ChatSessionCommand.SmsHeld(sms.messageRef()));
    KIT.createTestProbe().expectTerminated(chat, Duration.ofSeconds(5));
    // Held: still pending in the journal, so the next incarnation submits it.
    c.spawn();
    assertEquals("text 1", c.ports.expectSms().text());
  }

  @Test
  void aStopWhoseAnswerNeverComesEndsAfterTheHandOffWait() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> chat = c.active();
    c.message(chat, "1");
    chat.tell(new ChatSessionCommand.Stop());
    assertInstanceOf(Active.class, c.state(chat));
    TIME.timePasses(WAIT.minusMillis(1));
    assertInstanceOf(Active.class, c.state(chat), "still waiting just before the limit");
    TIME.timePasses(Duration.ofMillis(1));
    KIT.createTestProbe().expectTerminated(chat, Duration.ofSeconds(5));
  }

  @Test
  void anEndedChatStopsAtOnceAndItsTeardownSmsIsAnsweredToThatIncarnationNotThroughSharding() {
    Chat c = new Chat();
    ActorRef<ChatSessionCommand> chat = c.active();
    chat.tell(new ChatSessionCommand.Bye(KIT.createTestProbe(CloseReply.class).ref()));
    SmsSubmission teardown = c.ports.expectSms();
    // Answered to the incarnation (dead letters once it stopped), not by id through sharding,
    // which would start the ended chat again only to drop the answer.
    assertEquals(chat, teardown.session());
    c.shard.expectMessage("passivate");
    chat.tell(new ChatSessionCommand.Stop());
    KIT.createTestProbe().expectTerminated(chat, Duration.ofSeconds(5));
  }
}
