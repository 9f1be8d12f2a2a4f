package org.ipsmgw.pager;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.ipsmgw.session.SessionFixtures.CPM_MSISDN;
import static org.ipsmgw.session.SessionFixtures.IDS;
import static org.ipsmgw.session.SessionFixtures.SMS_MSISDN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.ipsmgw.LogCapture;
import org.ipsmgw.LogContext;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.sms.ConcatenationMode;
import org.ipsmgw.sms.SmsBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The pager conversation on the EventSourcedBehaviorTestKit (which also round-trips commands,
 * events and state through CBOR): CPM → SMS, receipts → IMDN MESSAGEs, SMS → MESSAGE in the stored
 * conversation or a new one per policy, the refusals, and the resend after a restart.
 */
class PagerConversationTest {
  /** Conversations leave as soon as they are idle here, except in the test of the wait. */
  private static final ActorTestKit KIT = kit("ipsmgw.pager.passivate-after = 0s");
  /** The documented default, {@code conf/policy.conf}. */
  private static final int NOTICE_RESENDS =
      PagerConversation.noticeResends(KIT.system().settings().config());
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final String IDENTITY = "sip:" + CPM_MSISDN + "@ims.example";

  private static ActorTestKit kit(String overrides) {
    return ActorTestKit.create(ConfigFactory.parseString(overrides)
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
        .withFallback(ConfigFactory.parseFile(new File("conf/policy.conf")))
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static final class Pager {
    final String cpm = "+4477009003" + String.format("%02d", SEQ.incrementAndGet());
    final String id = new PagerKey(SMS_MSISDN, cpm).id();
    final RecordingPorts ports;
    final TestProbe<String> shard;
    final EventSourcedBehaviorTestKit<PagerCommand, PagerEvent, PagerState> kit;

    Pager(String policyOverrides) {
      this(policyOverrides, KIT);
    }

    Pager(String policyOverrides, ActorTestKit on) {
      ports = new RecordingPorts(on);
      shard = on.createTestProbe();
      OperatorPolicy policy = SessionFixtures.policy(policyOverrides);
      kit = EventSourcedBehaviorTestKit.create(on.system(), PagerConversation.create(id,
          () -> policy, new SmsBudget(ConcatenationMode.UDH_8BIT, false, () -> policy), ports,
          ports, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"),
              ZoneOffset.UTC), self -> shard.ref().tell("passivate")));
    }

    Pager() {
      this("");
    }

    CommandReply fromCpm(String text, String imdnId, ReceiptRequest receipt) {
      return kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY, IDS, text,
          imdnId, receipt, r)).reply();
    }

    PagerReply fromSms(String text) {
      return kit.<PagerReply>runCommand(r -> new PagerCommand.FromSms(text,
          Instant.parse("2026-11-30T10:00:01Z"), r)).reply();
    }

    SmsSubmission sms() {
      return ports.effects.expectMessageClass(SmsSubmission.class);
    }

    SipMessageRequest message() {
      return ports.effects.expectMessageClass(SipMessageRequest.class);
    }

    /**
     * Fails naming the first thing the conversation emitted, on its ports or to its shard, for
     * what it has handled so far: the Get is handled after every message already in its mailbox,
     * so a marker told after it is the next message on each probe unless something came first.
     */
    void expectNoMoreEffects() {
      ports.expectNoMoreEffects(() -> kit.<PagerState>runCommand(PagerCommand.Get::new));
      String marker = "marker-" + SEQ.incrementAndGet();
      shard.ref().tell(marker);
      shard.expectMessage(marker);
    }
  }

  @Test
  void aCpmMessageIsStoredThenSubmittedFromTheCpmUsersNumber() {
    Pager p = new Pager();
    assertInstanceOf(CommandReply.Accepted.class,
        p.fromCpm("hello", "imdn-1", ReceiptRequest.SUCCESS_AND_FAILURE));
    SmsSubmission sms = p.sms();
    assertEquals(p.id, sms.sessionId());
    assertEquals(p.cpm, sms.source());
    assertEquals(SMS_MSISDN, sms.destination());
    assertEquals("hello", sms.text());
    assertEquals(ReceiptRequest.SUCCESS_AND_FAILURE, sms.receipt());
    PagerState s = p.kit.getState();
    assertEquals(IDENTITY, s.cpmIdentity());
    assertEquals(IDS.conversationId(), s.conversationId());
    assertEquals(IDS.contributionId(), s.lastContributionId());
  }

  @Test
  void aRepeatedMessageIsAcceptedOnceAndATooLongOneIsRefused() {
    Pager p = new Pager();
    p.fromCpm("hello", "imdn-1", ReceiptRequest.NONE);
    p.sms();
    var again = p.kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY, IDS,
        "hello", "imdn-1", ReceiptRequest.NONE, r));
    assertInstanceOf(CommandReply.Accepted.class, again.reply());
    assertTrue(again.events().isEmpty(), "no second copy stored");
    CommandReply tooLong = p.fromCpm("x".repeat(161 * 10), "imdn-2", ReceiptRequest.NONE);
    assertEquals(413, ((Refusal) tooLong).status());
    p.expectNoMoreEffects();
  }

  @Test
  void anIdleConversationLeavesOnlyOncePassivateAfterHasPassedWithNothingToDo() {
    // Long enough that the check below comes first on a loaded machine.
    ActorTestKit waiting = kit("ipsmgw.pager.passivate-after = 3s");
    try {
      Pager p = new Pager("", waiting);
      p.fromCpm("hello", "imdn-1", ReceiptRequest.NONE);
      p.kit.runCommand(new PagerCommand.SmsSubmitted("p1", List.of("smsc-1")));
      p.sms();
      // Idle now, and not gone: the next MESSAGE of a burst finds it in memory.
      p.expectNoMoreEffects();
      p.fromCpm("again", "imdn-2", ReceiptRequest.NONE);
      p.sms();
      p.kit.runCommand(new PagerCommand.SmsSubmitted("p2", List.of("smsc-2")));
      assertEquals("passivate", p.shard.expectMessage(Duration.ofSeconds(10), "passivate"));
    } finally {
      waiting.shutdownTestKit();
    }
  }

  @Test
  void messagesThatCameTogetherAreStoredInOneWriteAndSubmittedInTheirOrder() {
    Pager p = new Pager();
    p.fromCpm("taken before", "imdn-0", ReceiptRequest.NONE);
    p.sms();
    var batch = p.kit.<CpmMessagesReply>runCommand(r -> new PagerCommand.FromCpmBatch(List.of(
        message("first", "imdn-1"), message("taken before", "imdn-0"),
        message("x".repeat(161 * 10), "imdn-2"), message("second", "imdn-3"),
        message("first", "imdn-1")), r));
    assertEquals(List.of(200, 200, 413, 200, 200), ((CpmMessagesReply.Each) batch.reply())
        .outcomes().stream().map(CpmMessagesReply.Outcome::status).toList(),
        "each message's outcome in its order: taken before, too long, twice in the batch");
    assertEquals(2, batch.events().size(), "one write, one stored message each");
    assertEquals(List.of("p2", "p3"), batch.events().stream()
        .map(e -> ((PagerEvent.CpmMessageStored) e).messageRef()).toList());
    assertEquals("first", p.sms().text());
    assertEquals("second", p.sms().text());
    p.expectNoMoreEffects();
  }

  private static PagerCommand.FromCpm message(String text, String imdnId) {
    return new PagerCommand.FromCpm(IDENTITY, IDS, text, imdnId, ReceiptRequest.NONE, null);
  }

  /**
   * FailoverIT saw it in a database outage: the MESSAGE's answer was an error while its write
   * was still under way, the write then succeeded, the SMS went out and was delivered, and the
   * client's resend under the same imdn.Message-ID became a second SMS.
   */
  @Test
  void aMessageSentAgainAfterItSettledIsAnsweredAcceptedAndNotSentTwice() {
    Pager p = new Pager();
    p.fromCpm("hello", "imdn-1", ReceiptRequest.NONE);
    String ref = p.sms().messageRef();
    p.kit.runCommand(new PagerCommand.SmsSubmitted(ref, List.of("s1")));
    p.kit.runCommand(new PagerCommand.DeliveryReport("s1", true));
    assertTrue(p.kit.getState().inFlight().isEmpty(), "settled: nothing in flight");
    assertEquals("passivate", p.shard.expectMessage("passivate"));
    var again = p.kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY, IDS,
        "hello", "imdn-1", ReceiptRequest.NONE, r));
    assertInstanceOf(CommandReply.Accepted.class, again.reply());
    assertTrue(again.events().isEmpty(), "no second copy stored");
    assertEquals("passivate", p.shard.expectMessage("passivate"), "still idle");
    p.kit.restart();
    var afterRecovery = p.kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY,
        IDS, "hello", "imdn-1", ReceiptRequest.NONE, r));
    assertTrue(afterRecovery.events().isEmpty(), "remembered through recovery");
    assertEquals("passivate", p.shard.expectMessage("passivate"));
    p.expectNoMoreEffects();
  }

  @Test
  void onlyTheLatestIdsAreRememberedAndAnOlderSnapshotRemembersNone() {
    PagerState s = new PagerState(null, null, null, java.util.Map.of(), 1, null, null);
    assertEquals(List.of(), s.taken(), "a snapshot written before ids were kept");
    for (int i = 0; i < org.ipsmgw.RecentIds.KEPT + 1; i++) {
      s = s.apply(new PagerEvent.CpmMessageStored("p" + i, IDENTITY, IDS, "t", "imdn-" + i,
          ReceiptRequest.NONE, Instant.EPOCH)).apply(new PagerEvent.SmsSubmitFailed("p" + i,
              "x", Instant.EPOCH));
    }
    assertFalse(s.tookFromCpm("imdn-0"), "the oldest is forgotten");
    assertTrue(s.tookFromCpm("imdn-1"));
    assertTrue(s.tookFromCpm("imdn-" + org.ipsmgw.RecentIds.KEPT));
    assertFalse(s.tookFromCpm(null));
  }

  @Test
  void aDeliveryReceiptBecomesAnImdnMessageInTheConversationAndTheIdleConversationLeaves() {
    Pager p = new Pager();
    p.fromCpm("hello", "imdn-1", ReceiptRequest.SUCCESS_AND_FAILURE);
    String ref = p.sms().messageRef();
    p.kit.runCommand(new PagerCommand.SmsSubmitted(ref, List.of("s1", "s2")));
    p.kit.runCommand(new PagerCommand.DeliveryReport("s1", true));
    p.expectNoMoreEffects();
    p.kit.runCommand(new PagerCommand.DeliveryReport("s2", true));
    SipMessageRequest imdn = p.message();
    assertEquals(IDENTITY, imdn.target());
    assertEquals(SMS_MSISDN, imdn.fromMsisdn());
    assertEquals(IDS, imdn.ids());
    var cpim = CpimCodec.parse(imdn.cpim());
    assertEquals(ImdnXml.CONTENT_TYPE, cpim.contentType());
    assertEquals("delivered", ImdnXml.parse(cpim.bodyText()).status());
    assertTrue(p.kit.getState().inFlight().isEmpty());
    p.kit.runCommand(new PagerCommand.SipAnswered(imdn.messageRef(), 200));
    assertEquals("passivate", p.shard.expectMessage("passivate"));
  }

  // --- owed notices -------------------------------------------------------------------------

  /** A conversation whose delivery IMDN MESSAGE is out, its SMS settled. */
  private static SipMessageRequest imdnOut(Pager p) {
    p.fromCpm("hello", "imdn-1", ReceiptRequest.SUCCESS_AND_FAILURE);
    String ref = p.sms().messageRef();
    p.kit.runCommand(new PagerCommand.SmsSubmitted(ref, List.of("s1")));
    p.kit.runCommand(new PagerCommand.DeliveryReport("s1", true));
    return p.message();
  }

  private static String cpimMessageId(SipMessageRequest m) {
    return CpimCodec.parse(m.cpim()).imdnMessageId().orElseThrow();
  }

  @Test
  void anImdnIsOwedUntilItsAnswerIsStoredAndTheConversationStaysInMemoryMeanwhile() {
    Pager p = new Pager();
    SipMessageRequest imdn = imdnOut(p);
    PagerNotice owed = p.kit.getState().notices().get(imdn.messageRef());
    assertEquals(cpimMessageId(imdn), owed.imdnMessageId());
    assertEquals("imdn-1", owed.aboutMessageId());
    assertTrue(p.kit.getState().inFlight().isEmpty(), "the SMS itself is settled");
    p.expectNoMoreEffects(); // in particular no passivate while the notice is owed
    var answered = p.kit.runCommand(new PagerCommand.SipAnswered(imdn.messageRef(), 200));
    assertInstanceOf(PagerEvent.SipAnswered.class, answered.event(), "the answer is stored");
    assertTrue(p.kit.getState().notices().isEmpty());
    assertEquals("passivate", p.shard.expectMessage("passivate"));
  }

  @Test
  void anUnansweredNoticeIsSentAgainAfterARestartWithTheSameMessageId() {
    Pager p = new Pager();
    SipMessageRequest first = imdnOut(p);
    var interworking = p.kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY,
        IDS, "hi", "imdn-iw", ReceiptRequest.NONE, true, r));
    assertInstanceOf(PagerEvent.NoticeOwed.class, interworking.events().get(1),
        "owed in the write that stores the message");
    p.kit.runCommand(new PagerCommand.SmsSubmitted(p.sms().messageRef(), List.of("s2")));
    SipMessageRequest legacy = p.message();
    p.kit.restart();
    SipMessageRequest again = p.message();
    SipMessageRequest legacyAgain = p.message();
    assertEquals(first.messageRef(), again.messageRef());
    assertEquals(cpimMessageId(first), cpimMessageId(again), "shown once by the client");
    assertTrue(java.util.Arrays.equals(first.cpim(), again.cpim()), "the same notice");
    assertEquals(first.ids(), again.ids());
    assertEquals(cpimMessageId(legacy), cpimMessageId(legacyAgain));
    assertEquals(org.ipsmgw.cpim.Imdn.Kind.INTERWORKING,
        ImdnXml.parse(CpimCodec.parse(legacyAgain.cpim()).bodyText()).kind());
    assertEquals(1, p.kit.getState().notices().get(first.messageRef()).resends());
    p.kit.runCommand(new PagerCommand.SipAnswered(again.messageRef(), 200));
    p.kit.runCommand(new PagerCommand.SipAnswered(legacyAgain.messageRef(), 200));
    assertEquals("passivate", p.shard.expectMessage("passivate"));
  }

  @Test
  void aFailedSubmitsNoticeIsOwedAndSentAgainAfterARestart() {
    Pager p = new Pager();
    p.fromCpm("hello", "imdn-1", ReceiptRequest.FAILURE_ONLY);
    p.kit.runCommand(new PagerCommand.SmsSubmitFailed(p.sms().messageRef(), "0x0B"));
    SipMessageRequest failed = p.message();
    p.kit.restart();
    SipMessageRequest again = p.message();
    assertEquals(cpimMessageId(failed), cpimMessageId(again));
    assertEquals("failed", ImdnXml.parse(CpimCodec.parse(again.cpim()).bodyText()).status());
  }

  /**
   * What DemoProcessIT saw: a woken conversation must not send again what was answered. The
   * next MESSAGE the CPM user gets after the recovery is the later one, not the notice.
   */
  @Test
  void anAnsweredNoticeIsNotSentAgainAfterPassivationAndRecoveryNorOneAnsweredWithAnError() {
    for (int status : new int[] {200, 480}) {
      Pager p = new Pager();
      SipMessageRequest imdn = imdnOut(p);
      p.kit.runCommand(new PagerCommand.SipAnswered(imdn.messageRef(), status));
      assertTrue(p.kit.getState().notices().isEmpty(), "answered " + status);
      assertEquals("passivate", p.shard.expectMessage("passivate"));
      p.kit.restart();
      p.fromSms("later");
      assertEquals("later", CpimCodec.parse(p.message().cpim()).bodyText(),
          "answered " + status + ": the notice was not sent again");
    }
  }

  @Test
  void anAnswerToNothingOwedThatWakesAnIdleConversationLetsItLeaveAgain() {
    Pager p = new Pager();
    SipMessageRequest imdn = imdnOut(p);
    p.kit.runCommand(new PagerCommand.SipAnswered(imdn.messageRef(), 200));
    assertEquals("passivate", p.shard.expectMessage("passivate"));
    p.kit.restart();
    var late = p.kit.runCommand(new PagerCommand.SipAnswered(imdn.messageRef(), 200));
    assertTrue(late.hasNoEvents(), "stored once");
    assertEquals("passivate", p.shard.expectMessage("passivate"));
    p.expectNoMoreEffects();
  }

  @Test
  void aNoticeIsSentAgainAtMostNoticeResendsTimesThenDroppedAndTheConversationLeaves() {
    assertEquals(3, NOTICE_RESENDS, "conf/policy.conf documents 3");
    Pager p = new Pager();
    String id = cpimMessageId(imdnOut(p));
    for (int i = 1; i <= NOTICE_RESENDS; i++) {
      p.kit.restart();
      assertEquals(id, cpimMessageId(p.message()), "resend " + i);
    }
    p.kit.restart();
    assertEquals("passivate", p.shard.expectMessage("passivate"), "dropped: nothing owed");
    assertTrue(p.kit.getState().notices().isEmpty());
    p.expectNoMoreEffects();
    p.kit.restart();
    p.fromSms("later");
    assertEquals("later", CpimCodec.parse(p.message().cpim()).bodyText(), "not sent again");
  }

  /** A snapshot as the code before owed notices wrote it: no {@code notices} field at all. */
  @Test
  void anOlderSnapshotWithoutNoticesReadsAsOwingNone() throws Exception {
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(KIT.system());
    PagerState current = new PagerState(IDENTITY, "conv", "contr", java.util.Map.of(), 3,
        List.of("imdn-1"), java.util.Map.of());
    var serializer = (org.apache.pekko.serialization.SerializerWithStringManifest)
        serialization.findSerializerFor(current);
    var cbor = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(
        serializer.toBinary(current));
    assertTrue(tree.has("notices"), "the field this test removes");
    tree.remove("notices");
    PagerState old = (PagerState) serialization.deserialize(cbor.writeValueAsBytes(tree),
        serializer.identifier(), serializer.manifest(current)).get();
    assertTrue(old.notices().isEmpty());
    assertTrue(old.idle());
    assertEquals(List.of("imdn-1"), old.taken());
    assertEquals(current, old);
  }

  @Test
  void aReceiptThatOvertakesSmsSubmittedFindsItsMessageByRefAndIsAnsweredAfterPersist() {
    Pager p = new Pager();
    p.fromCpm("hello", "imdn-1", ReceiptRequest.SUCCESS_AND_FAILURE);
    String ref = p.sms().messageRef();
    var early = p.kit.<CommandReply>runCommand(
        r -> new PagerCommand.DeliveryReport("s1", true, ref, List.of("s1"), r));
    assertTrue(early.reply() instanceof CommandReply.Accepted);
    assertEquals(List.of(PagerEvent.SmsSubmitted.class, PagerEvent.DeliveryReported.class,
        PagerEvent.NoticeOwed.class), early.events().stream().map(Object::getClass).toList(),
        "the submission, then the receipt, and the notice it owes in the same write");
    assertEquals("delivered", ImdnXml.parse(CpimCodec.parse(p.message().cpim()).bodyText())
        .status());
    assertTrue(p.kit.getState().inFlight().isEmpty());
    // SmsSubmitted arrives late, and the SMSC resends the receipt: nothing more to record.
    assertTrue(p.kit.runCommand(new PagerCommand.SmsSubmitted(ref, List.of("s1"))).hasNoEvents());
    var resent = p.kit.<CommandReply>runCommand(
        r -> new PagerCommand.DeliveryReport("s1", true, ref, List.of("s1"), r));
    assertTrue(resent.reply() instanceof CommandReply.Accepted);
    assertTrue(resent.hasNoEvents());
  }

  @Test
  void aConversationWaitsForTheFailureReceiptsOfItsLastSmsOnlyAndKeepsThatThroughRecovery() {
    ActorTestKit bounded = kit("ipsmgw.pager.passivate-after = 0s\n"
        + "ipsmgw.session.failure-receipts-awaited = 4");
    try {
      Pager p = new Pager("", bounded);
      List<String> refs = new java.util.ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        p.fromCpm("text " + i, "imdn-" + i, ReceiptRequest.FAILURE_ONLY);
        String ref = p.sms().messageRef();
        refs.add(ref);
        var result = p.kit.runCommand(new PagerCommand.SmsSubmitted(ref, List.of("f" + i)));
        if (i == 5) {
          assertEquals(new PagerEvent.FailureReceiptsForgotten(refs.subList(0, 2),
              Instant.parse("2026-11-30T10:00:00Z")), result.events().get(1),
              "five waiting, past 4: down to 3");
        } else {
          assertEquals(1, result.events().size(), "message " + i + ": within the bound");
        }
      }
      for (int i = 1; i <= 6; i++) {
        assertEquals("passivate", p.shard.expectMessage("passivate"),
            "waiting for failure receipts only, it may leave memory");
      }
      assertEquals(refs.subList(2, 6), p.kit.getState().awaitingFailureOnly());
      assertEquals(4, p.kit.getState().inFlight().size());
      assertEquals(refs.subList(2, 6), p.kit.restart().state().awaitingFailureOnly(),
          "the same after a replay");

      var late = p.kit.<CommandReply>runCommand(
          r -> new PagerCommand.DeliveryReport("f1", false, null, List.of(), r));
      assertTrue(late.reply() instanceof CommandReply.Accepted, "acknowledged to the SMSC");
      assertTrue(late.hasNoEvents(), "a forgotten SMS's receipt records nothing");
      p.kit.runCommand(new PagerCommand.DeliveryReport("f6", false, null, List.of(), null));
      var imdn = CpimCodec.parse(p.message().cpim());
      assertEquals("failed", ImdnXml.parse(imdn.bodyText()).status(),
          "a recent SMS's failure is still told");
      p.expectNoMoreEffects();
    } finally {
      bounded.shutdownTestKit();
    }
  }

  @Test
  void aRefusedSubmitGivesAFailedImdnOnlyWhenFailuresWereAskedFor() {
    Pager asked = new Pager();
    asked.fromCpm("hello", "imdn-1", ReceiptRequest.FAILURE_ONLY);
    asked.kit.runCommand(new PagerCommand.SmsSubmitFailed(asked.sms().messageRef(), "0x0B"));
    var cpim = CpimCodec.parse(asked.message().cpim());
    assertEquals("failed", ImdnXml.parse(cpim.bodyText()).status());

    Pager silent = new Pager();
    silent.fromCpm("hello", "imdn-1", ReceiptRequest.NONE);
    silent.kit.runCommand(new PagerCommand.SmsSubmitFailed(silent.sms().messageRef(), "0x0B"));
    assertEquals("passivate", silent.shard.expectMessage("passivate"), "nothing left in flight");
    silent.expectNoMoreEffects();
  }

  @Test
  void anSmsReplyGoesToTheStoredIdentityInTheStoredConversation() {
    Pager p = new Pager();
    p.fromCpm("lunch?", "imdn-1", ReceiptRequest.NONE);
    p.sms();
    assertInstanceOf(PagerReply.Accepted.class, p.fromSms("yes"));
    SipMessageRequest m = p.message();
    assertEquals(IDENTITY, m.target());
    assertEquals(IDS.conversationId(), m.ids().conversationId());
    assertEquals(IDS.contributionId(), m.ids().inReplyToContributionId());
    assertNotEquals(IDS.contributionId(), m.ids().contributionId());
    String body = new String(m.cpim(), StandardCharsets.UTF_8);
    assertTrue(body.contains("From: <tel:" + SMS_MSISDN + ">"), body);
    assertEquals("yes", CpimCodec.parse(m.cpim()).bodyText());
  }

  @Test
  void anSmsWithNoConversationStartsOneOrIsDroppedPerPolicy() {
    Pager pager = new Pager();
    assertInstanceOf(PagerReply.Accepted.class, pager.fromSms("hi"));
    SipMessageRequest m = pager.message();
    assertEquals("tel:" + pager.cpm, m.target());
    assertNull(m.ids().inReplyToContributionId());

    Pager drop = new Pager("ipsmgw.policy.sms-originated = DROP");
    PagerReply refused = drop.fromSms("hi");
    assertEquals(404, ((PagerReply.Refused) refused).refusal().status());
    assertEquals("passivate", drop.shard.expectMessage("passivate"));
    drop.expectNoMoreEffects();
  }

  @Test
  void anSmsWithNoConversationWhenPolicyWantsAChatAsksForOneAndStoresNothing() {
    Pager chat = new Pager("ipsmgw.policy.sms-originated = CHAT");
    var result = chat.kit.<PagerReply>runCommand(r -> new PagerCommand.FromSms("hi",
        Instant.parse("2026-11-30T10:00:01Z"), r));
    assertInstanceOf(PagerReply.StartChat.class, result.reply());
    assertTrue(result.events().isEmpty(), "the chat, not the pager, takes the text");
    assertEquals("passivate", chat.shard.expectMessage("passivate"));
    chat.expectNoMoreEffects();
  }

  @Test
  void whatTheEdgeDidNotConfirmIsSentAgainAfterARestart() {
    Pager p = new Pager();
    p.fromCpm("to sms", "imdn-1", ReceiptRequest.NONE);
    p.sms();
    p.fromSms("to cpm");
    SipMessageRequest first = p.message();
    p.kit.restart();
    assertEquals("to sms", p.sms().text());
    SipMessageRequest again = p.message();
    assertEquals(first.messageRef(), again.messageRef());
    assertEquals(first.ids(), again.ids(), "the same identifiers, not new ones");

    p.kit.runCommand(new PagerCommand.SipAnswered(again.messageRef(), 200));
    assertEquals(1, p.kit.getState().inFlight().size(), "only the SMS is still in flight");
  }

  @Test
  void anInterworkingRequestGetsTheLegacySmsNoticeOnceStored() {
    Pager p = new Pager();
    var result = p.kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY, IDS,
        "hi", "imdn-iw", ReceiptRequest.NONE, true, r));
    assertInstanceOf(CommandReply.Accepted.class, result.reply());
    p.sms();
    SipMessageRequest notice = p.message();
    var imdn = ImdnXml.parse(CpimCodec.parse(notice.cpim()).bodyText());
    assertEquals(org.ipsmgw.cpim.Imdn.Kind.INTERWORKING, imdn.kind());
    assertEquals("legacy-sms", imdn.status());
    assertEquals("imdn-iw", imdn.messageId());
    assertEquals(IDS, notice.ids());
  }

  // --- journal failures and log context -----------------------------------------------------

  /** A conversation spawned as sharding would, outside the EventSourcedBehaviorTestKit. */
  /**
   * Holds every journal operation of the conversation (its recovery first) until {@code released},
   * as a shard delivers the buffered commands that start an entity; reset the policy after.
   */
  private static PersistenceTestKit holdRecovery(String id,
      java.util.concurrent.CountDownLatch released) {
    PersistenceTestKit journal = PersistenceTestKit.create(KIT.system());
    String pid = "PagerConversation|" + id;
    journal.withPolicy((persistenceId, op) -> {
      if (persistenceId.equals(pid)) {
        try {
          released.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return org.apache.pekko.persistence.testkit.ProcessingSuccess.getInstance();
    });
    return journal;
  }

  /** Fails naming anything sent since; this Get comes after whatever the recovery told itself. */
  private static void expectNothingMoreAfterRecovery(ActorRef<PagerCommand> woken,
      RecordingPorts ports) {
    TestProbe<PagerState> state = KIT.createTestProbe();
    ports.expectNoMoreEffects(() -> {
      woken.tell(new PagerCommand.Get(state.ref()));
      state.receiveMessage();
    });
  }

  private static ActorRef<PagerCommand> spawn(String id, RecordingPorts ports) {
    OperatorPolicy policy = SessionFixtures.policy("");
    return KIT.spawn(PagerConversation.create(id, () -> policy,
        new SmsBudget(ConcatenationMode.UDH_8BIT, false, () -> policy), ports, ports,
        Clock.systemUTC(), self -> {}));
  }

  @Test
  void aFailedWriteIsNotAcknowledgedNorSentAndTheConversationComesBackAsItsJournalHasIt() {
    String id = new PagerKey(SMS_MSISDN, "+447700900398").id();
    RecordingPorts ports = new RecordingPorts(KIT);
    ActorRef<PagerCommand> ref = spawn(id, ports);
    TestProbe<CommandReply> replies = KIT.createTestProbe();
    PersistenceTestKit.create(KIT.system()).failNextPersisted("PagerConversation|" + id);
    ref.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "lost", "imdn-1", ReceiptRequest.NONE,
        replies.ref()));
    // Handled only by a conversation that restarted; a stopped one would answer nothing.
    ref.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "kept", "imdn-2", ReceiptRequest.NONE,
        replies.ref()));
    assertInstanceOf(CommandReply.Accepted.class, replies.receiveMessage(Duration.ofSeconds(10)));
    SmsSubmission sms = ports.effects.expectMessageClass(SmsSubmission.class);
    assertEquals("kept", sms.text(), "the unpersisted message was never submitted");
    assertEquals("p1", sms.messageRef(), "and holds no place in the journal");
    TestProbe<PagerState> state = KIT.createTestProbe();
    ref.tell(new PagerCommand.Get(state.ref()));
    assertEquals(List.of("imdn-2"), state.receiveMessage().inFlight().values().stream()
        .map(PagerMessage::imdnMessageId).toList());
    replies.expectNoMessage(Duration.ZERO);
  }

  /**
   * DemoProcessIT's race: the conversation asked to passivate while idle, took one more command
   * before the shard stopped it, and stopped with its MESSAGE and notice out. Their answers wake
   * it; they are stored before anything is sent again. Recovery is held until both answers are
   * in the mailbox, as a shard delivers the buffered command that starts an entity.
   */
  @Test
  void aConversationWokenByTheAnswersToWhatItSentBeforeItStoppedSendsNothingAgain()
      throws Exception {
    String id = new PagerKey(SMS_MSISDN, "+447700900397").id();
    RecordingPorts ports = new RecordingPorts(KIT);
    ActorRef<PagerCommand> first = spawn(id, ports);
    TestProbe<Object> replies = KIT.createTestProbe();
    first.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "hello", "imdn-1", ReceiptRequest.NONE,
        true, replies.ref().narrow()));
    replies.receiveMessage();
    ports.effects.expectMessageClass(SmsSubmission.class);
    SipMessageRequest legacy = ports.effects.expectMessageClass(SipMessageRequest.class);
    first.tell(new PagerCommand.SmsSubmitted("p1", List.of("s1")));
    first.tell(new PagerCommand.FromSms("reply", Instant.now(), replies.ref().narrow()));
    replies.receiveMessage();
    SipMessageRequest reply = ports.effects.expectMessageClass(SipMessageRequest.class);
    KIT.stop(first);

    java.util.concurrent.CountDownLatch answersQueued = new java.util.concurrent.CountDownLatch(1);
    PersistenceTestKit journal = holdRecovery(id, answersQueued);
    try {
      ActorRef<PagerCommand> woken = spawn(id, ports);
      woken.tell(new PagerCommand.SipAnswered(reply.messageRef(), 200));
      woken.tell(new PagerCommand.SipAnswered(legacy.messageRef(), 200));
      answersQueued.countDown();
      TestProbe<PagerState> state = KIT.createTestProbe();
      woken.tell(new PagerCommand.Get(state.ref()));
      PagerState s = state.receiveMessage(Duration.ofSeconds(10));
      assertTrue(s.inFlight().isEmpty(), "the reply's answer is stored");
      assertTrue(s.notices().isEmpty(), "the notice's answer is stored");
      expectNothingMoreAfterRecovery(woken, ports);
    } finally {
      journal.resetPolicy();
    }
  }

  /**
   * FailoverIT saw it after a kill -9: the MESSAGE that woke the recovered conversation was
   * stored and sent as SMS, and the recovery's resend, handled after it, found it still waiting
   * for its submit_sm_resp and sent it a second time. The resend now covers only what was owed
   * when recovery ended: here the message left pending before the stop, once.
   */
  @Test
  void aMessageStoredByTheCommandThatWokeTheConversationIsSentOnceNotAgainByTheResend()
      throws Exception {
    String id = new PagerKey(SMS_MSISDN, "+447700900396").id();
    RecordingPorts ports = new RecordingPorts(KIT);
    ActorRef<PagerCommand> first = spawn(id, ports);
    TestProbe<Object> replies = KIT.createTestProbe();
    first.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "before the stop", "imdn-1",
        ReceiptRequest.NONE, replies.ref().narrow()));
    replies.receiveMessage();
    assertEquals("before the stop", ports.effects.expectMessageClass(SmsSubmission.class).text());
    KIT.stop(first);

    java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
    PersistenceTestKit journal = holdRecovery(id, queued);
    try {
      ActorRef<PagerCommand> woken = spawn(id, ports);
      woken.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "the waking one", "imdn-2",
          ReceiptRequest.NONE, replies.ref().narrow()));
      queued.countDown();
      replies.receiveMessage(Duration.ofSeconds(10));
      List<String> sent = new java.util.ArrayList<>();
      sent.add(ports.effects.expectMessageClass(SmsSubmission.class).text());
      sent.add(ports.effects.expectMessageClass(SmsSubmission.class).text());
      java.util.Collections.sort(sent);
      assertEquals(List.of("before the stop", "the waking one"), sent,
          "the one left pending sent again, the waking one once");
      expectNothingMoreAfterRecovery(woken, ports);
    } finally {
      journal.resetPolicy();
    }
  }

  @Test
  void itsLinesCarryThePagerPrefixAndItsIdsInTheMdcAndTheSubmitLinksTheSmscIds() {
    String id = new PagerKey(SMS_MSISDN, "+447700900399").id();
    RecordingPorts ports = new RecordingPorts(KIT);
    ActorRef<PagerCommand> ref = spawn(id, ports);
    TestProbe<CommandReply> replies = KIT.createTestProbe();
    try (LogCapture log = LogCapture.attach()) {
      ref.tell(new PagerCommand.FromCpm(IDENTITY, IDS, "secret text", "imdn-1",
          ReceiptRequest.SUCCESS_AND_FAILURE, replies.ref()));
      replies.receiveMessage();
      String ref1 = ports.effects.expectMessageClass(SmsSubmission.class).messageRef();
      ref.tell(new PagerCommand.SmsSubmitted(ref1, List.of("s1", "s2")));
      // The Get is handled after the submit and its persist callback.
      TestProbe<PagerState> state = KIT.createTestProbe();
      ref.tell(new PagerCommand.Get(state.ref()));
      state.receiveMessage();

      LogCapture.Line submitted = log.lines().stream()
          .filter(l -> l.text().contains("submitted")).findFirst().orElseThrow();
      assertEquals("[pager " + id + "] SMS " + ref1 + " submitted, SMSC ids [s1, s2]",
          submitted.text());
      List<LogCapture.Line> mine = log.lines().stream()
          .filter(l -> l.text().startsWith("[pager " + id + "]")).toList();
      assertEquals(2, mine.size(), mine.toString());
      for (LogCapture.Line line : mine) {
        assertEquals(id, line.mdc().get(LogContext.SESSION_ID), line.toString());
        assertEquals(SMS_MSISDN, line.mdc().get(LogContext.SMS_USER), line.toString());
      }
      assertTrue(log.lines().stream().noneMatch(l -> l.text().contains("secret text")),
          "no message text in the log");
    }
  }

  /**
   * The busy-evening race: a MESSAGE on its way when the conversation asked to passivate is taken
   * and its SMS given to the edge just before sharding's stop comes. The stop waits for the edge's
   * answer, which the edge sends the conversation itself (sharding holds back what goes to an
   * entity it stops); the next start then has nothing to submit again.
   */
  @Test
  void aStopWhileTheSmscTakesAnSmsWaitsForItsAnswerAndTheNextStartDoesNotSubmitItAgain() {
    Pager p = new Pager();
    p.fromCpm("one", "imdn-s1", ReceiptRequest.NONE);
    SmsSubmission first = p.sms();
    assertNotNull(first.pager(), "the edge answers the conversation itself");
    p.kit.runCommand(new PagerCommand.SmsSubmitted(first.messageRef(), List.of("s1")));
    assertEquals("passivate", p.shard.expectMessage("passivate"));
    p.fromCpm("two", "imdn-s2", ReceiptRequest.NONE); // on its way: taken before the stop
    SmsSubmission second = p.sms();
    TestProbe<Object> watcher = KIT.createTestProbe();
    p.kit.runCommand(new PagerCommand.Stop());
    assertEquals(1, p.kit.getState().inFlight().size(), "still alive, waiting: " 
        + p.kit.getState().inFlight().keySet());

    second.pager().tell(new PagerCommand.SmsSubmitted(second.messageRef(), List.of("s2")));
    watcher.expectTerminated(second.pager(), Duration.ofSeconds(10));
    assertEquals("passivate", p.shard.expectMessage("passivate"), "idle again, before the stop");
    p.kit.restart();
    assertTrue(p.kit.getState().inFlight().isEmpty(), "the answer was stored before the stop");
    p.expectNoMoreEffects();
  }

  @Test
  void anIdleConversationStopsAtOnce() {
    Pager p = new Pager();
    p.fromCpm("one", "imdn-i1", ReceiptRequest.NONE);
    SmsSubmission sms = p.sms();
    p.kit.runCommand(new PagerCommand.SmsSubmitted(sms.messageRef(), List.of("s1")));
    // Told directly: the test kit's runCommand would wait for a state from a stopped entity.
    sms.pager().tell(new PagerCommand.Stop());
    KIT.createTestProbe().expectTerminated(sms.pager(), Duration.ofSeconds(10));
  }

  @Test
  void aStopWaitsForTheSmscNoLongerThanTheHandOffWait() {
    ActorTestKit shortWait = ActorTestKit.create(ConfigFactory.parseString(
        "ipsmgw.session.hand-off-wait = 300ms").withFallback(KIT.system().settings().config()));
    try {
      RecordingPorts ports = new RecordingPorts(shortWait);
      OperatorPolicy policy = SessionFixtures.policy("");
      var kit = EventSourcedBehaviorTestKit.<PagerCommand, PagerEvent, PagerState>create(
          shortWait.system(), PagerConversation.create(new PagerKey(SMS_MSISDN, "+447700903999")
              .id(), () -> policy, new SmsBudget(ConcatenationMode.UDH_8BIT, false, () -> policy),
              ports, ports, Clock.systemUTC(), self -> { }));
      kit.<CommandReply>runCommand(r -> new PagerCommand.FromCpm(IDENTITY, IDS, "never answered",
          "imdn-w1", ReceiptRequest.NONE, r));
      SmsSubmission sms = ports.effects.expectMessageClass(SmsSubmission.class);
      kit.runCommand(new PagerCommand.Stop());
      assertEquals(1, kit.getState().inFlight().size(), "waiting");
      shortWait.createTestProbe().expectTerminated(sms.pager(), Duration.ofSeconds(10));
    } finally {
      shortWait.shutdownTestKit();
    }
  }
}
