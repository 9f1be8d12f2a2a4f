package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The entity is a probe that drops, answers late or never answers a copy, as a shard being
 * handed over or a slow journal would; time is Pekko's manual test time, so the copies and the
 * deadline come exactly when they are due and an absence is checked over a span of that time.
 */
class ResentAskTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final Duration EVERY = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofMillis(3500);

  record Store(String id, ActorRef<String> replyTo) {}

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static CompletableFuture<String> ask(TestProbe<Store> entity, Duration every,
      AtomicInteger resends) {
    return ResentAsk.<Store, String>ask(entity.ref(), r -> new Store("m-1", r), every, DEADLINE,
        KIT.system().scheduler(), resends::incrementAndGet).toCompletableFuture();
  }

  @Test
  void aCopyTheEntityNeverGotIsGivenAgainAndItsAnswerIsTheAnswer() throws Exception {
    TestProbe<Store> entity = KIT.createTestProbe(Store.class);
    AtomicInteger resends = new AtomicInteger();
    CompletableFuture<String> answer = ask(entity, EVERY, resends);
    Store dropped = entity.receiveMessage();
    TIME.timePasses(EVERY);
    Store second = entity.receiveMessage();
    assertEquals(dropped.id(), second.id(), "the same command again");
    second.replyTo().tell("stored");
    assertEquals("stored", answer.get(5, TimeUnit.SECONDS));
    assertEquals(1, resends.get());
    TIME.expectNoMessageFor(Duration.ofSeconds(5), entity);
    assertEquals(1, resends.get(), "no copy after the answer");
  }

  @Test
  void aSlowEntityAnsweringItsFirstCopyAfterAResendIsTheAnswerAndTheLaterOneIsIgnored()
      throws Exception {
    TestProbe<Store> entity = KIT.createTestProbe(Store.class);
    CompletableFuture<String> answer = ask(entity, EVERY, new AtomicInteger());
    Store first = entity.receiveMessage();
    TIME.timePasses(EVERY);
    Store second = entity.receiveMessage();
    first.replyTo().tell("first");
    assertEquals("first", answer.get(5, TimeUnit.SECONDS));
    second.replyTo().tell("second");
    TIME.expectNoMessageFor(Duration.ofSeconds(5), entity);
    assertEquals("first", answer.get());
  }

  @Test
  void anEntityThatNeverAnswersGetsACopyEachIntervalAndTheAskFailsAtTheDeadline()
      throws Exception {
    TestProbe<Store> entity = KIT.createTestProbe(Store.class);
    AtomicInteger resends = new AtomicInteger();
    CompletableFuture<String> answer = ask(entity, EVERY, resends);
    entity.receiveMessage();
    for (int i = 1; i <= 3; i++) {
      TIME.timePasses(EVERY);
      entity.receiveMessage();
    }
    assertEquals(3, resends.get(), "copies at 1, 2 and 3 s of a 3.5 s deadline");
    assertFalse(answer.isDone(), "3 s of 3.5: still waiting");
    TIME.timePasses(Duration.ofMillis(500));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> answer.get(5, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("within 3500 ms to 4 copies"),
        e.getCause().getMessage());
    TIME.expectNoMessageFor(Duration.ofSeconds(5), entity);
  }

  @Test
  void withResendsOffItIsOneAskThatFailsAtTheDeadline() throws Exception {
    TestProbe<Store> entity = KIT.createTestProbe(Store.class);
    AtomicInteger resends = new AtomicInteger();
    CompletableFuture<String> answer = ask(entity, Duration.ZERO, resends);
    entity.receiveMessage();
    TIME.expectNoMessageFor(Duration.ofSeconds(3), entity);
    assertFalse(answer.isDone());
    TIME.timePasses(Duration.ofMillis(500));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> answer.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("to 1 copy"), e.getCause().getMessage());
    assertEquals(0, resends.get());
  }
}
