package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitted;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmittedBatch;
import org.ipsmgw.session.CommandReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The chat is a probe that answers as the entity does once it has recorded a batch. */
class SubmittedBatchesTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static SmsSubmitted ok(String ref) {
    return new SmsSubmitted(ref, List.of("smsc-" + ref));
  }

  private static List<String> refs(SmsSubmittedBatch b) {
    return b.submitted().stream().map(SmsSubmitted::messageRef).toList();
  }

  @Test
  void acceptancesThatComeWhileTheChatRecordsOneGoTogetherInOrderOnceItAnswered() {
    SubmittedBatches batches = new SubmittedBatches(KIT.system().scheduler(),
        Duration.ofSeconds(10));
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    TestProbe<ChatSessionCommand> other = KIT.createTestProbe();
    batches.submitted(chat.ref(), ok("m1"));
    SmsSubmittedBatch first = chat.expectMessageClass(SmsSubmittedBatch.class);
    assertEquals(List.of("m1"), refs(first));
    batches.submitted(chat.ref(), ok("m2"));
    batches.submitted(chat.ref(), ok("m3"));
    batches.submitted(other.ref(), ok("o1"));
    // Another chat's goes at once; it is also the marker that m2 and m3 were taken and wait.
    assertEquals(List.of("o1"), refs(other.expectMessageClass(SmsSubmittedBatch.class)));
    chat.expectNoMessage(Duration.ZERO);

    first.replyTo().tell(new CommandReply.Accepted());
    SmsSubmittedBatch second = chat.expectMessageClass(SmsSubmittedBatch.class);
    assertEquals(List.of("m2", "m3"), refs(second));
    second.replyTo().tell(new CommandReply.Accepted());
    batches.submitted(chat.ref(), ok("m4"));
    assertEquals(List.of("m4"), refs(chat.expectMessageClass(SmsSubmittedBatch.class)),
        "nothing out: the next goes at once");
  }

  @Test
  void aChatThatDoesNotAnswerInTimeIsNotWaitedForLonger() {
    SubmittedBatches batches = new SubmittedBatches(KIT.system().scheduler(),
        Duration.ofMillis(300));
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    batches.submitted(chat.ref(), ok("m1"));
    chat.expectMessageClass(SmsSubmittedBatch.class);
    batches.submitted(chat.ref(), ok("m2"));
    // No answer to the first: after the timeout the next batch goes anyway.
    assertEquals(List.of("m2"), refs(chat.expectMessageClass(SmsSubmittedBatch.class,
        Duration.ofSeconds(5))));
  }

  @Test
  void theChatsAnswersStartNoThreadEach() {
    SubmittedBatches batches = new SubmittedBatches(KIT.system().scheduler(),
        Duration.ofSeconds(10));
    TestProbe<ChatSessionCommand> chat = KIT.createTestProbe();
    batches.submitted(chat.ref(), ok("warm"));
    chat.expectMessageClass(SmsSubmittedBatch.class).replyTo().tell(new CommandReply.Accepted());
    var threads = ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    int answers = 50;
    batches.submitted(chat.ref(), ok("m0"));
    for (int i = 1; i <= answers; i++) {
      SmsSubmittedBatch b = chat.expectMessageClass(SmsSubmittedBatch.class);
      // The next one waits behind b, so it goes only once b's answer was handled.
      batches.submitted(chat.ref(), ok("m" + i));
      b.replyTo().tell(new CommandReply.Accepted());
    }
    assertEquals(List.of("m" + answers), refs(chat.expectMessageClass(SmsSubmittedBatch.class)));
    long started = threads.getTotalStartedThreadCount() - before;
    // The test kit's dispatchers may start a few threads of their own meanwhile.
    assertTrue(started < answers / 5, started + " threads started for " + answers + " answers");
  }
}
