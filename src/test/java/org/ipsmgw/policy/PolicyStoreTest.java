package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster's record of runtime policy changes: merged, validated, persisted, published. */
class PolicyStoreTest {
  private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
      .withFallback(ConfigFactory.load()));

  private final TestProbe<Topic.Command<PolicyOverlay>> topic = KIT.createTestProbe();
  private EventSourcedBehaviorTestKit<PolicyCommand, PolicyEvent, PolicyOverlay> store;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    store = EventSourcedBehaviorTestKit.create(KIT.system(),
        PolicyStore.create(PolicyFixtures.section(""), topic.ref(), Clock.systemUTC()));
    store.clear();
  }

  @Test
  void aValidChangeIsStoredPublishedAndAnswered() {
    var result = store.<PolicyReply>runCommand(
        r -> new PolicyCommand.Merge("{\"reject-status\": 486}", r));
    PolicyReply.Updated updated = assertInstanceOf(PolicyReply.Updated.class, result.reply());
    assertEquals(1, updated.overlay().revision());
    assertInstanceOf(PolicyEvent.PolicyReplaced.class, result.event());
    topic.expectMessageClass(Topic.Command.class);
  }

  @Test
  void anInvalidChangeIsRefusedAndChangesNothing() {
    var result = store.<PolicyReply>runCommand(
        r -> new PolicyCommand.Merge("{\"reject-status\": 200}", r));
    assertInstanceOf(PolicyReply.Refused.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(PolicyOverlay.NONE, result.state());
  }

  @Test
  void aChangeTheJournalRefusesIsNotAnsweredAndTheStoreComesBackAsItsJournalHasIt() {
    ActorRef<PolicyCommand> ref = KIT.spawn(
        PolicyStore.create(PolicyFixtures.section(""), topic.ref(), Clock.systemUTC()));
    PersistenceTestKit journal = PersistenceTestKit.create(KIT.system());
    TestProbe<PolicyReply> replies = KIT.createTestProbe();
    ref.tell(new PolicyCommand.Merge("{\"reject-status\": 486}", replies.ref()));
    assertInstanceOf(PolicyReply.Updated.class, replies.receiveMessage(Duration.ofSeconds(10)));

    journal.failNextPersisted("OperatorPolicy|" + PolicyStore.ID);
    ref.tell(new PolicyCommand.Merge("{\"reject-status\": 480}", replies.ref()));
    // Answered only by a store that restarted (a stopped one answers nothing); had the refused
    // write been acknowledged, its Updated would be the next reply.
    TestProbe<PolicyOverlay> overlays = KIT.createTestProbe();
    ref.tell(new PolicyCommand.GetOverlay(overlays.ref()));
    PolicyOverlay after = overlays.receiveMessage(Duration.ofSeconds(10));
    assertEquals(1, after.revision(), "the overlay the journal holds");
    assertTrue(after.overlay().contains("486"), after.overlay());
    PolicyReply marker = new PolicyReply.Refused("marker told by the test");
    replies.ref().tell(marker);
    assertEquals(marker, replies.receiveMessage(), "the refused change was never answered");
  }
}
