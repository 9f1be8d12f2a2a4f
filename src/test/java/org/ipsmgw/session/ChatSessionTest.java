package org.ipsmgw.session;

import static org.ipsmgw.session.SessionFixtures.CPM_MSISDN;
import static org.ipsmgw.session.SessionFixtures.IDS;
import static org.ipsmgw.session.SessionFixtures.SMS_MSISDN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.ipsmgw.LogCapture;
import org.ipsmgw.PeerText;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand.AckReceived;
import org.ipsmgw.session.ChatSessionCommand.AdmissionAnswered;
import org.ipsmgw.session.ChatSessionCommand.Bye;
import org.ipsmgw.session.ChatSessionCommand.Cancel;
import org.ipsmgw.session.ChatSessionCommand.CpmMessage;
import org.ipsmgw.session.ChatSessionCommand.DeliveryReport;
import org.ipsmgw.session.ChatSessionCommand.End;
import org.ipsmgw.session.ChatSessionCommand.Get;
import org.ipsmgw.session.ChatSessionCommand.Invite;
import org.ipsmgw.session.ChatSessionCommand.MsrpDelivered;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitFailed;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitted;
import org.ipsmgw.subscriber.Admission;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every transition of the invitation state machine, every timer (fired by ManualTime, with the
 * wall clock moved in step) and the refused inputs, on the EventSourcedBehaviorTestKit, which also
 * round-trips every command, event and state through the CBOR serializer.
 */
class ChatSessionTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ChatTestKit.config());
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final AtomicInteger IDS_SEQ = new AtomicInteger();
  private static final String CORRELATION = "+447700900100";

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** One session under test with its ports, clock, subscriber and shard stand-ins. */
  private static final class Session {
    final String id = "call-" + IDS_SEQ.incrementAndGet() + "@cpm.example";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    final RecordingPorts ports = new RecordingPorts(KIT);
    final TestProbe<SmsSubscriberCommand> subscriber = KIT.createTestProbe();
    /** The MSRP connection {@link #active} attaches, as the CPM client's bind does. */
    final TestProbe<MediaCommand> connection = KIT.createTestProbe();
    final TestProbe<String> shard = KIT.createTestProbe();
    /** Passivations asked, counted on the entity's own thread (read after a handled command). */
    final AtomicInteger passivations = new AtomicInteger();
    final OperatorPolicy policy;
    final List<String> observed = java.util.Collections.synchronizedList(new ArrayList<>());
    /** What the observer heard of recoveries, re-INVITEs and 200s never ACKed. */
    final List<String> failover = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Each subscriber answer the session has handled, told once its command handler ran. */
    final TestProbe<AdmissionAnswered> admissionsHandled = KIT.createTestProbe();
    final EventSourcedBehaviorTestKit<ChatSessionCommand, ChatSessionEvent, ChatSessionState> kit;

    Session(String policyOverrides) {
      this(policyOverrides, AwaitedReceipts.DEFAULT);
    }

    Session(String policyOverrides, int failureReceiptsAwaited) {
      policy = SessionFixtures.policy(policyOverrides);
      SessionObserver observer = new SessionObserver() {
        @Override public void entered(String state) { observed.add("entered " + state); }
        @Override public void left(String state) { observed.add("left " + state); }
        @Override public void answered(String outcome, Duration took) {
          observed.add("answered " + outcome);
        }
        @Override public void ended(String outcome) { observed.add("ended " + outcome); }
        @Override public void message(Direction d) { observed.add("message " + d); }
        @Override public void recovered(String state) { failover.add("recovered " + state); }
        @Override public void reInvited(String reason) { failover.add("re-INVITE " + reason); }
        @Override public void unacknowledged() { failover.add("unacknowledged"); }
      };
      ChatSessionSettings settings = new ChatSessionSettings(() -> policy, clock,
          Duration.ofSeconds(5), observer, ChatSessionSettings.DEFAULT_ACK_TIMEOUT,
          ChatSessionSettings.DEFAULT_HAND_OFF_WAIT, failureReceiptsAwaited);
      kit = EventSourcedBehaviorTestKit.create(KIT.system(), reportingAdmissions(
          ChatSession.create(id, settings, ports.ports(), msisdn -> subscriber.ref(),
              self -> {
                passivations.incrementAndGet();
                shard.ref().tell("passivate");
              })));
    }

    /**
     * The session, telling {@link #admissionsHandled} of each AdmissionAnswered it handled: the
     * subscriber's answer comes back through an ask, which no probe of the session sees.
     */
    private Behavior<ChatSessionCommand> reportingAdmissions(Behavior<ChatSessionCommand> entity) {
      return Behaviors.intercept(() -> new BehaviorInterceptor<ChatSessionCommand,
          ChatSessionCommand>(ChatSessionCommand.class) {
        @Override
        public Behavior<ChatSessionCommand> aroundReceive(
            TypedActorContext<ChatSessionCommand> ctx, ChatSessionCommand msg,
            ReceiveTarget<ChatSessionCommand> target) {
          Behavior<ChatSessionCommand> next = target.apply(ctx, msg);
          if (msg instanceof AdmissionAnswered answer) {
            admissionsHandled.ref().tell(answer);
          }
          return next;
        }
      }, entity);
    }

    Session() {
      this("");
    }

    void advance(Duration d) {
      clock.advance(d);
      TIME.timePasses(d);
    }

    CommandReply invite() {
      var result = kit.<CommandReply>runCommand(r -> new Invite(SessionFixtures.invitation(id), r));
      assertInstanceOf(ChatSessionEvent.InvitationReceived.class, result.event());
      assertInstanceOf(Deciding.class, result.state());
      return result.reply();
    }

    /** Invites and lets the subscriber answer with the given decision. */
    void admit(InvitationAction action) {
      assertEquals(new CommandReply.Accepted(), invite());
      AdmitInvitation admit = subscriber.expectMessageClass(AdmitInvitation.class);
      assertEquals(id, admit.sessionId());
      assertEquals(CPM_MSISDN, admit.cpmMsisdn());
      InvitationDecision decision = action == InvitationAction.REJECT
          ? new InvitationDecision(action, DecisionSource.OPERATOR, 603, "Declined by operator policy")
          : new InvitationDecision(action, DecisionSource.USER, 0, "user choice");
      admit.replyTo().tell(new Admission(decision,
          action == InvitationAction.REJECT ? null : CORRELATION));
    }

    /** Accepted on behalf, 200 sent, its ACK not (yet) come. */
    Active unacknowledged() {
      admit(InvitationAction.ACCEPT);
      ports.expectResponse(200);
      return (Active) kit.getState();
    }

    /** Accepted on behalf and ACKed, as a CPM client does, and its MSRP connection bound. */
    Active active() {
      Active active = activeWithoutConnection();
      attach(connection);
      return active;
    }

    /** Accepted on behalf and ACKed; no MSRP connection has bound yet. */
    Active activeWithoutConnection() {
      unacknowledged();
      return (Active) kit.runCommand(new AckReceived()).state();
    }

    /** An MSRP connection binds the chat's session and attaches itself to the chat. */
    BindReply.Bound attach(TestProbe<MediaCommand> media) {
      ChatSessionState state = kit.getState();
      String msrpSessionId = state instanceof Active a ? a.msrpSessionId()
          : ((Originating) state).msrpSessionId();
      var result = kit.<BindReply>runCommand(r -> new ChatSessionCommand.BindMedia(msrpSessionId,
          media.ref(), r));
      assertTrue(result.hasNoEvents(), "attaching is not persisted");
      return assertInstanceOf(BindReply.Bound.class, result.reply());
    }

    /**
     * The connection closes as a client's closing of its TCP connection makes it: the chat is
     * told and answers, then the connection stops (and the test waits until it has).
     */
    void closeInOrder(TestProbe<MediaCommand> media) {
      var closed = kit.<CommandReply>runCommand(r -> new ChatSessionCommand.MediaClosed(
          media.ref(), r));
      assertEquals(new CommandReply.Accepted(), closed.reply());
      assertTrue(closed.hasNoEvents(), "the media is memory only");
      stopped(media);
    }

    /**
     * Stops a connection and returns once it has stopped: the chat's watch has fired by then (its
     * death notice is in the chat's mailbox before ours), so the next command the test runs is
     * handled after it.
     */
    void stopped(TestProbe<MediaCommand> media) {
      media.stop();
      KIT.createTestProbe().expectTerminated(media.ref(), Duration.ofSeconds(5));
    }

    AwaitingReply awaiting() {
      admit(InvitationAction.INVITE_BY_SMS);
      ports.expectResponse(180);
      ports.expectSms();
      return (AwaitingReply) kit.getState();
    }

    CommandReply sms(String text) {
      return kit.<CommandReply>runCommand(r -> new SmsFromUser(text, clock.instant(), r)).reply();
    }

    /**
     * Fails naming the first thing the session emitted, on its ports, to its subscriber or to its
     * shard, for what it has handled so far. The Get is handled after every message already in
     * the entity's mailbox (a timer ManualTime fired, a command stashed behind a persist), so a
     * marker told after it is the next message on each probe unless something else came first.
     */
    void expectNoMoreEffects() {
      ports.expectNoMoreEffects(() -> kit.<ChatSessionState>runCommand(Get::new));
      String marker = "marker-" + IDS_SEQ.incrementAndGet();
      ReleaseCorrelation noSessionsRelease = new ReleaseCorrelation(marker); // no session's id
      subscriber.ref().tell(noSessionsRelease);
      shard.ref().tell(marker);
      subscriber.expectMessage(noSessionsRelease);
      shard.expectMessage(marker);
    }

    /** The SMSC accepted {@code sms}: what an ended chat that sent it waits for to stop. */
    void smscAccepted(SmsSubmission sms) {
      kit.runCommand(new SmsSubmitted(sms.messageRef(), List.of("smsc-" + sms.messageRef())));
    }

    void expectReleasedAndPassivated() {
      assertEquals(new ReleaseCorrelation(id), subscriber.expectMessageClass(ReleaseCorrelation.class));
      assertEquals("passivate", shard.expectMessage("passivate"));
    }
  }

  private static void assertIds(CpmIdentifiers ids) {
    assertEquals(IDS.conversationId(), ids.conversationId());
    assertEquals(IDS.contributionId(), ids.contributionId());
    assertEquals(IDS.inReplyToContributionId(), ids.inReplyToContributionId());
    assertEquals(IDS.nonCpmServiceId(), ids.nonCpmServiceId());
  }

  // --- Deciding → Active | Rejected | AwaitingReply --------------------------------------------

  @Test
  void acceptOnBehalfAnswers200WithAnMsrpSessionAndSendsNoSms() {
    Session s = new Session();
    s.admit(InvitationAction.ACCEPT);
    SipResponse ok = s.ports.expectResponse(200);
    assertEquals(32, ok.msrpSessionId().length(), "128 random bits as hex");
    assertNotNull(ok.localTag());
    assertEquals(s.id, ok.invite().callId());
    assertIds(ok.ids());
    Active active = (Active) s.kit.getState();
    assertEquals(CORRELATION, active.correlationMsisdn());
    assertEquals(ok.msrpSessionId(), active.msrpSessionId());
    s.expectNoMoreEffects();
  }

  @Test
  void peerChosenValuesReachTheSessionLogEscapedAndCutShort() {
    String longConversation = "Conv-" + "x".repeat(2000);
    Session s = new Session();
    try (LogCapture log = LogCapture.attach()) {
      s.kit.<CommandReply>runCommand(r -> new Invite(SessionFixtures.invitation(s.id,
          new CpmIdentifiers(longConversation, "Contr-1", null, null), false), r));
      String line = log.lines().stream().map(LogCapture.Line::text)
          .filter(t -> t.contains("INVITE from")).findFirst().orElseThrow();
      assertTrue(line.length() < 400, "bounded: " + line.length() + " characters");
      assertTrue(line.contains("Conv-xxx") && line.contains("…"), line);
      assertEquals(-1, line.indexOf("x".repeat(PeerText.SHOWN_CHARS + 1)), line);
    }
  }

  @Test
  void rejectByPolicyAnswersTheFinalErrorAndSendsNoSms() {
    Session s = new Session();
    s.admit(InvitationAction.REJECT);
    SipResponse r = s.ports.expectResponse(603);
    assertIds(r.ids());
    Ended ended = (Ended) s.kit.getState();
    assertEquals(Outcome.REJECTED, ended.outcome());
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void exhaustedPoolIsRejectedWith503() {
    Session s = new Session();
    s.invite();
    AdmitInvitation admit = s.subscriber.expectMessageClass(AdmitInvitation.class);
    admit.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.REJECT,
        DecisionSource.OPERATOR, 503, "No free correlation number"), null));
    assertEquals("No free correlation number", s.ports.expectResponse(503).reason());
    assertEquals(Outcome.REJECTED, ((Ended) s.kit.getState()).outcome());
  }

  /** An invitation whose subscriber never answers: 503 after the admission timeout. */
  private static Session refusedForNow() {
    Session s = new Session();
    s.invite();
    s.subscriber.expectMessageClass(AdmitInvitation.class);
    s.advance(Duration.ofSeconds(5));
    assertEquals("Subscriber data unavailable", s.ports.expectResponse(503).reason());
    // Handled after the refusal's own message, whose persist callback sent the 503 and then
    // armed the refusal's timer from the clock: the test's clock moves only after that.
    assertInstanceOf(Ended.class, s.kit.getState());
    return s;
  }

  @Test
  void subscriberThatNeverAnswersGives503AfterTheAdmissionTimeout() {
    assertEquals(Outcome.REJECTED, ((Ended) refusedForNow().kit.getState()).outcome());
  }

  @Test
  void anInviteSentAgainAfterItsAdmission503IsDecidedAfreshAndAccepted() {
    Session s = refusedForNow();
    s.subscriber.expectMessageClass(ReleaseCorrelation.class);
    assertTrue(((Ended) s.kit.getState()).refusedForNow());

    // The SIP front's failure route sends the same INVITE to the next node; sharding, here.
    var again = s.kit.<CommandReply>runCommand(r -> new Invite(SessionFixtures.invitation(s.id),
        r));
    assertEquals(new CommandReply.Accepted(), again.reply());
    assertInstanceOf(ChatSessionEvent.InvitationReceived.class, again.event());
    assertInstanceOf(Deciding.class, again.state());
    AdmitInvitation admit = s.subscriber.expectMessageClass(AdmitInvitation.class);
    assertEquals(s.id, admit.sessionId());
    admit.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.ACCEPT,
        DecisionSource.USER, 0, "user choice"), CORRELATION));
    s.ports.expectResponse(200);
    assertTrue(((Active) s.kit.runCommand(new AckReceived()).state()).confirmed());

    // The refusal's window timer went with the new decision: the chat serves past it.
    s.advance(Duration.ofSeconds(40));
    assertInstanceOf(Active.class, s.kit.getState());
    assertEquals(0, s.passivations.get(), "a live chat is not stopped");
    s.kit.restart();
    assertInstanceOf(Active.class, s.kit.getState(), "the journal says the same");
  }

  @Test
  void aChatRefused503StaysUntilItsInviteCanNoLongerComeAgainThenStops() {
    Session s = refusedForNow();
    s.advance(Duration.ofSeconds(31));
    assertInstanceOf(Ended.class, s.kit.getState());
    assertEquals(0, s.passivations.get(), "31 s after the 503 the INVITE may still come again");
    s.advance(Duration.ofSeconds(1));
    assertEquals("passivate", s.shard.expectMessage("passivate"));
  }

  @Test
  void anInviteAgainAfterAnyOtherEndIs481() {
    Session s = new Session();
    s.admit(InvitationAction.REJECT);
    s.ports.expectResponse(603);
    s.expectReleasedAndPassivated();
    var again = s.kit.<CommandReply>runCommand(r -> new Invite(SessionFixtures.invitation(s.id),
        r));
    assertEquals(481, ((Refusal) again.reply()).status());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void inviteBySmsSends180AndExactlyOneInvitationSmsFromTheCorrelationNumber() {
    Session s = new Session();
    s.admit(InvitationAction.INVITE_BY_SMS);
    SipResponse ringing = s.ports.expectResponse(180);
    assertIds(ringing.ids());
    SmsSubmission sms = s.ports.expectSms();
    assertEquals(CORRELATION, sms.source());
    assertEquals(SMS_MSISDN, sms.destination());
    assertEquals(Translation.INVITATION_REF, sms.messageRef());
    assertEquals("Alice (" + CPM_MSISDN + ") invites you to chat. Reply YES to accept or "
        + "NO to decline. Once chatting, send STOP to end.", sms.text());
    AwaitingReply waiting = (AwaitingReply) s.kit.getState();
    assertEquals(s.clock.instant().plus(Duration.ofSeconds(120)), waiting.replyDeadline());
    s.expectNoMoreEffects();
  }

  @Test
  void anonymousSenderIsNamedByTheCorrelationNumberOnly() {
    Session s = new Session();
    var inv = SessionFixtures.invitation(s.id, IDS, true);
    s.kit.<CommandReply>runCommand(r -> new Invite(inv, r));
    AdmitInvitation admit = s.subscriber.expectMessageClass(AdmitInvitation.class);
    assertTrue(admit.anonymous());
    admit.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.INVITE_BY_SMS,
        DecisionSource.OPERATOR, 0, "operator choice"), CORRELATION));
    s.ports.expectResponse(180);
    String text = s.ports.expectSms().text();
    assertTrue(text.startsWith("Anonymous (" + CORRELATION + ")"), text);
    assertTrue(!text.contains(CPM_MSISDN) && !text.contains("Alice"), text);
  }

  // --- AwaitingReply ---------------------------------------------------------------------------

  @Test
  void provisionalResponseIsRepeatedAtTheRefreshInterval() {
    Session s = new Session();
    s.awaiting();
    s.advance(Duration.ofSeconds(49));
    s.expectNoMoreEffects();
    s.advance(Duration.ofSeconds(1));
    assertIds(s.ports.expectResponse(180).ids());
    s.advance(Duration.ofSeconds(50));
    s.ports.expectResponse(180);
  }

  @Test
  void acceptReplyAnswers200AndStopsTheInvitationTimers() {
    Session s = new Session();
    AwaitingReply waiting = s.awaiting();
    assertEquals(new CommandReply.Accepted(), s.sms(" Yes! "));
    SipResponse ok = s.ports.expectResponse(200);
    assertNotNull(ok.msrpSessionId());
    assertEquals(waiting.localTag(), ok.localTag(), "one To tag for 180 and 200");
    assertInstanceOf(Active.class, s.kit.getState());
    s.kit.runCommand(new AckReceived());
    s.advance(Duration.ofSeconds(200));
    s.expectNoMoreEffects();
  }

  @Test
  void acceptedReplyWhose200IsNeverAckedEndsWithByeAfter64T1() {
    Session s = new Session();
    s.awaiting();
    s.sms("yes");
    s.ports.expectResponse(200);
    assertEquals(s.clock.instant().plus(ChatSessionSettings.DEFAULT_ACK_TIMEOUT),
        ((Active) s.kit.getState()).ackDeadline(), "the deadline is persisted with the 200");
    s.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT);
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    assertEquals(EndCause.NO_ACK, ((Ended) s.kit.getState()).cause());
    s.expectReleasedAndPassivated();
  }

  @Test
  void declineReplyAnswersTheRejectStatusOnceAndALateAcceptIsRefused() {
    Session s = new Session();
    s.awaiting();
    assertEquals(new CommandReply.Accepted(), s.sms("no"));
    assertEquals("Declined by SMS user", s.ports.expectResponse(603).reason());
    assertEquals(Outcome.REJECTED, ((Ended) s.kit.getState()).outcome());
    s.expectReleasedAndPassivated();
    var late = s.kit.<CommandReply>runCommand(r -> new SmsFromUser("yes", s.clock.instant(), r));
    assertInstanceOf(Refusal.class, late.reply());
    assertTrue(late.hasNoEvents());
    s.advance(Duration.ofSeconds(200));
    s.expectNoMoreEffects();
  }

  @Test
  void unclearReplyAsksAgainAndKeepsWaiting() {
    Session s = new Session();
    s.awaiting();
    assertEquals(new CommandReply.Accepted(), s.sms("who is this?"));
    SmsSubmission again = s.ports.expectSms();
    assertEquals("Reply YES to chat with Alice or NO to decline.", again.text());
    assertEquals(CORRELATION, again.source());
    AwaitingReply waiting = (AwaitingReply) s.kit.getState();
    assertEquals(1, waiting.reminders());
  }

  @Test
  void askingAgainNeverNamesAnAnonymousSender() {
    Session s = new Session();
    var inv = SessionFixtures.invitation(s.id, IDS, true);
    s.kit.<CommandReply>runCommand(r -> new Invite(inv, r));
    s.subscriber.expectMessageClass(AdmitInvitation.class).replyTo().tell(new Admission(
        new InvitationDecision(InvitationAction.INVITE_BY_SMS, DecisionSource.OPERATOR, 0,
            "operator choice"), CORRELATION));
    s.ports.expectResponse(180);
    s.ports.expectSms();
    s.sms("who is this?");
    String again = s.ports.expectSms().text();
    assertEquals("Reply YES to chat with Anonymous or NO to decline.", again);
  }

  @Test
  void unclearReplyWithAcceptWithTextPolicyAcceptsAndDeliversTheText() {
    Session s = new Session("ipsmgw.policy.other-reply = ACCEPT_WITH_TEXT");
    s.awaiting();
    s.sms("hi, who is this?");
    SipResponse ok = s.ports.expectResponse(200);
    s.attach(s.connection);
    MsrpMessage first = s.ports.effects.expectMessageClass(MsrpMessage.class);
    assertEquals("hi, who is this?", first.text());
    assertEquals(SMS_MSISDN, first.fromMsisdn());
    assertEquals(ok.msrpSessionId(), first.msrpSessionId());
    assertIds(first.ids());
  }

  @Test
  void replyWindowExpiryAnswers480ExactlyOnce() {
    Session s = new Session();
    s.awaiting();
    s.advance(Duration.ofSeconds(50));
    s.ports.expectResponse(180);
    s.advance(Duration.ofSeconds(50));
    s.ports.expectResponse(180);
    s.advance(Duration.ofSeconds(20));
    assertIds(s.ports.expectResponse(480).ids());
    assertEquals(Outcome.EXPIRED, ((Ended) s.kit.getState()).outcome());
    s.expectReleasedAndPassivated();
    assertInstanceOf(Refusal.class, s.sms("yes"));
    s.advance(Duration.ofSeconds(120));
    s.expectNoMoreEffects();
  }

  @Test
  void cancelWhileWaitingAnswers487AndASecondCancelChangesNothing() {
    Session s = new Session("ipsmgw.policy.withdrawn-sms = true");
    s.awaiting();
    var cancel = s.kit.<CloseReply>runCommand(Cancel::new);
    assertIds(assertInstanceOf(CloseReply.Closed.class, cancel.reply()).ids());
    assertIds(s.ports.expectResponse(487).ids());
    SmsSubmission withdrawn = s.ports.expectSms();
    assertEquals("Alice withdrew the chat invitation.", withdrawn.text());
    assertEquals(Outcome.CANCELLED, ((Ended) s.kit.getState()).outcome());
    var again = s.kit.<CloseReply>runCommand(Cancel::new);
    assertEquals(481, ((Refusal) again.reply()).status());
    assertTrue(again.hasNoEvents());
    s.smscAccepted(withdrawn);
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void cancelWhileDecidingAnswers487AndTheLateAdmissionIsIgnored() {
    Session s = new Session();
    s.invite();
    AdmitInvitation admit = s.subscriber.expectMessageClass(AdmitInvitation.class);
    s.kit.<CloseReply>runCommand(Cancel::new);
    s.ports.expectResponse(487);
    s.expectReleasedAndPassivated();
    admit.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.ACCEPT,
        DecisionSource.OPERATOR, 0, "operator choice"), CORRELATION));
    // The answer reaches the session through its ask, a hop the Get could overtake; once the
    // session has handled it, the check covers everything the late answer could cause.
    assertEquals(CORRELATION, s.admissionsHandled.receiveMessage().admission().correlationMsisdn());
    s.expectNoMoreEffects();
    assertEquals(Outcome.CANCELLED, ((Ended) s.kit.getState()).outcome());
  }

  @Test
  void invitationSmsRefusedBySmscAnswers503() {
    Session s = new Session();
    s.awaiting();
    s.kit.runCommand(new SmsSubmitFailed(Translation.INVITATION_REF, "ESME_RSUBMITFAIL"));
    s.ports.expectResponse(503);
    assertEquals(Outcome.REJECTED, ((Ended) s.kit.getState()).outcome());
  }

  @Test
  void adminEndOfAPendingInvitationAnswers480() {
    Session s = new Session();
    s.awaiting();
    s.kit.<CommandReply>runCommand(r -> new End("maintenance", r));
    assertEquals("Ended by operator: maintenance", s.ports.expectResponse(480).reason());
  }

  // --- refused input ---------------------------------------------------------------------------

  @Test
  void invitationWithoutConversationIdIsRefusedWith400AndNothingIsStored() {
    Session s = new Session();
    var ids = new CpmIdentifiers(null, "c", null, null);
    var result = s.kit.<CommandReply>runCommand(
        r -> new Invite(SessionFixtures.invitation(s.id, ids, false), r));
    assertEquals(new Refusal(400, "Missing Conversation-ID"), result.reply());
    assertTrue(result.hasNoEvents());
    assertInstanceOf(NoSession.class, result.state());
    s.expectNoMoreEffects();
  }

  @Test
  void invitationWithBlankContributionIdIsRefusedWith400() {
    Session s = new Session();
    var ids = new CpmIdentifiers("conv", " ", null, null);
    var result = s.kit.<CommandReply>runCommand(
        r -> new Invite(SessionFixtures.invitation(s.id, ids, false), r));
    assertEquals(new Refusal(400, "Missing Contribution-ID"), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void invitationToANonE164UserIsRefusedWith404() {
    Session s = new Session();
    Invitation good = SessionFixtures.invitation(s.id);
    Invitation bad = new Invitation(good.sessionId(), good.ids(), new Parties(
        good.parties().cpmIdentity(), CPM_MSISDN, "Alice", "bob"), good.sip(), good.sdpOffer(),
        false, good.receivedAt());
    var result = s.kit.<CommandReply>runCommand(r -> new Invite(bad, r));
    assertEquals(404, ((Refusal) result.reply()).status());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void invitationForAnotherCallIdIsRefused() {
    Session s = new Session();
    var result = s.kit.<CommandReply>runCommand(
        r -> new Invite(SessionFixtures.invitation("other@cpm.example"), r));
    assertEquals(new Refusal(400, "Call-ID does not match the session"),
        result.reply());
  }

  @Test
  void commandsThatDoNotFitTheStateAreRefusedWith481() {
    Session s = new Session();
    var noSession = s.kit.<CloseReply>runCommand(Bye::new);
    assertEquals(481, ((Refusal) noSession.reply()).status());
    s.awaiting();
    var msg = s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "hi", ReceiptRequest.NONE, r));
    assertEquals(481, ((Refusal) msg.reply()).status());
    assertTrue(msg.hasNoEvents());
    var bye = s.kit.<CloseReply>runCommand(Bye::new);
    assertEquals(481, ((Refusal) bye.reply()).status());
    s.expectNoMoreEffects();
  }

  @Test
  void cancelAfter200IsRefusedAndSendsNoSecondFinalResponse() {
    Session s = new Session();
    s.active();
    var cancel = s.kit.<CloseReply>runCommand(Cancel::new);
    assertEquals(481, ((Refusal) cancel.reply()).status());
    assertTrue(cancel.hasNoEvents());
    s.expectNoMoreEffects();
  }

  @Test
  void retransmittedInviteIsAcknowledgedWithoutANewDecision() {
    Session s = new Session();
    s.awaiting();
    var again = s.kit.<CommandReply>runCommand(r -> new Invite(SessionFixtures.invitation(s.id), r));
    assertEquals(new CommandReply.Accepted(), again.reply());
    assertTrue(again.hasNoEvents());
    s.expectNoMoreEffects();
  }

  // --- Active ----------------------------------------------------------------------------------

  @Test
  void ackConfirmsTheDialogOnce() {
    Session s = new Session();
    s.unacknowledged();
    assertTrue(((Active) s.kit.runCommand(new AckReceived()).state()).confirmed());
    assertTrue(s.kit.runCommand(new AckReceived()).hasNoEvents());
  }

  @Test
  void aConfirmedChatNoLongerHoldsTheSdpOfferWhichOnlyTheJournalKeeps() {
    Session s = new Session();
    assertNotNull(s.unacknowledged().invitation().sdpOffer(), "the 200 not yet acknowledged");
    Active confirmed = (Active) s.kit.runCommand(new AckReceived()).state();
    assertNull(confirmed.invitation().sdpOffer(), "an idle chat holds no SDP");
    s.kit.restart();
    assertNull(((Active) s.kit.getState()).invitation().sdpOffer(), "nor once recovered");
  }

  @Test
  void a200NeverAckedEndsTheChatWithByeAndFreesTheNumberAfter64T1() {
    Session s = new Session();
    Active active = s.unacknowledged();
    assertTrue(active.awaitingAck());
    s.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT.minusSeconds(1));
    s.expectNoMoreEffects();
    s.advance(Duration.ofSeconds(1));
    SipRequest bye = s.ports.effects.expectMessageClass(SipRequest.class);
    assertEquals("BYE", bye.method());
    assertEquals(active.localTag(), bye.localTag());
    assertIds(bye.ids());
    Ended ended = (Ended) s.kit.getState();
    assertEquals(EndCause.NO_ACK, ended.cause());
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects(); // no teardown SMS: no chat took place
  }

  @Test
  void anAckInTimeKeepsTheChatAndNoByeFollows() {
    Session s = new Session();
    s.unacknowledged();
    s.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT.minusSeconds(2));
    Active confirmed = (Active) s.kit.runCommand(new AckReceived()).state();
    assertTrue(confirmed.confirmed() && !confirmed.awaitingAck());
    s.advance(Duration.ofMinutes(5));
    s.expectNoMoreEffects();
    assertInstanceOf(Active.class, s.kit.getState());
    assertInstanceOf(Active.class, s.kit.restart().state(), "the confirmation is persisted");
    s.ports.reinvites.receiveMessage();
    s.advance(Duration.ofMinutes(1));
    s.expectNoMoreEffects();
  }

  @Test
  void cpmMessageIsPersistedBeforeItIsAcceptedAndThenSubmitted() {
    Session s = new Session();
    s.active();
    var result = s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "hello €", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    assertEquals(new CommandReply.Accepted(), result.reply());
    var accepted = result.eventOfType(ChatSessionEvent.CpmMessageAccepted.class);
    assertEquals("hello €", accepted.text());
    SmsSubmission sms = s.ports.expectSms();
    assertEquals(accepted.messageRef(), sms.messageRef());
    assertEquals(CORRELATION, sms.source());
    assertEquals(SMS_MSISDN, sms.destination());
    assertEquals(ReceiptRequest.SUCCESS_AND_FAILURE, sms.receipt());
    assertEquals(1, ((Active) s.kit.getState()).translation().toSms());
  }

  @Test
  void aBatchOfCpmMessagesIsPersistedByOneCommandAnsweredPerMessageAndSubmittedInOrder() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-0", "imdn-0", "first", ReceiptRequest.NONE, r));
    String firstRef = s.ports.expectSms().messageRef();
    var batch = s.kit.<CpmMessagesReply>runCommand(r -> new ChatSessionCommand.CpmMessages(
        List.of(new CpmText("msrp-1", "imdn-1", "a", ReceiptRequest.NONE, false),
            new CpmText("msrp-2", "imdn-2", "", ReceiptRequest.NONE, false),
            new CpmText("msrp-0", "imdn-0", "first", ReceiptRequest.NONE, false),
            new CpmText("msrp-3", "imdn-3", "b", ReceiptRequest.SUCCESS_AND_FAILURE, true),
            new CpmText("msrp-1", "imdn-1", "a", ReceiptRequest.NONE, false)), r));
    assertEquals(List.of(200, 400, 200, 200, 200), ((CpmMessagesReply.Each) batch.reply())
        .outcomes().stream().map(CpmMessagesReply.Outcome::status).toList(),
        "new, empty, taken before, new, twice in the batch");
    // Pekko writes the events of one effect in one atomic write.
    List<ChatSessionEvent.CpmMessageAccepted> events = batch.events().stream()
        .map(ChatSessionEvent.CpmMessageAccepted.class::cast).toList();
    assertEquals(List.of("a", "b"), events.stream().map(e -> e.text()).toList());
    assertEquals(List.of("msrp-1", "msrp-3"), events.stream().map(e -> e.msrpMessageId())
        .toList());
    int first = Integer.parseInt(firstRef.substring(1));
    assertEquals(List.of("m" + (first + 1), "m" + (first + 2)),
        events.stream().map(e -> e.messageRef()).toList(), "consecutive references");
    SmsSubmission a = s.ports.expectSms();
    SmsSubmission b = s.ports.expectSms();
    assertEquals(List.of("a", "b"), List.of(a.text(), b.text()), "submitted in the batch's order");
    assertEquals(ReceiptRequest.SUCCESS_AND_FAILURE, b.receipt());
    assertEquals(3, ((Active) s.kit.getState()).translation().toSms());
    s.expectNoMoreEffects();
  }

  @Test
  void aBatchOfSmscAcceptancesIsRecordedByOneCommandAndAnsweredOnceRecorded() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "a", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-2", "imdn-2", "b", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String a = s.ports.expectSms().messageRef();
    String b = s.ports.expectSms().messageRef();
    var result = s.kit.<CommandReply>runCommand(r -> new ChatSessionCommand.SmsSubmittedBatch(
        List.of(new SmsSubmitted(a, List.of("sa")), new SmsSubmitted("m999", List.of("sx")),
            new SmsSubmitted(b, List.of("sb1", "sb2"))), r));
    assertEquals(new CommandReply.Accepted(), result.reply());
    assertEquals(List.of(a, b), result.events().stream()
        .map(e -> ((ChatSessionEvent.SmsSubmitted) e).messageRef()).toList(),
        "an unknown reference records nothing");
    Translation t = ((Active) s.kit.getState()).translation();
    assertEquals(List.of("sa"), t.byRef(a).orElseThrow().smscIds());
    assertEquals(List.of("sb1", "sb2"), t.byRef(b).orElseThrow().smscIds());
    assertTrue(t.pending().isEmpty());
  }

  @Test
  void aBatchOfCpmMessagesToAChatNotRunningIsRefusedWhole() {
    Session s = new Session();
    s.awaiting();
    var batch = s.kit.<CpmMessagesReply>runCommand(r -> new ChatSessionCommand.CpmMessages(
        List.of(new CpmText("msrp-1", "imdn-1", "a", ReceiptRequest.NONE, false)), r));
    assertEquals(481, ((Refusal) batch.reply()).status());
    assertTrue(batch.hasNoEvents());
    s.expectNoMoreEffects();
  }

  @Test
  void multipartMessageIsDeliveredOnlyWhenEveryPartIs() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "long", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("0A1", "0A2")));
    s.kit.runCommand(new DeliveryReport("0A1", true));
    s.expectNoMoreEffects();
    s.kit.runCommand(new DeliveryReport("0A2", true));
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertTrue(notice.delivered());
    assertEquals("imdn-1", notice.imdnMessageId());
    assertIds(notice.ids());
    Translation t = ((Active) s.kit.getState()).translation();
    assertTrue(t.inFlight().isEmpty());
    assertEquals(1, t.delivered());
    var duplicate = s.kit.runCommand(new DeliveryReport("0A2", true));
    assertTrue(duplicate.hasNoEvents());
    s.expectNoMoreEffects();
  }

  @Test
  void receiptThatOvertakesSmsSubmittedFindsItsMessageByRefAndIsAnsweredAfterPersist() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "long", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    // The SMPP edge indexed both parts, but the chat has not heard of SmsSubmitted yet.
    var first = s.kit.<CommandReply>runCommand(
        r -> new DeliveryReport("0B1", true, ref, List.of("0B1", "0B2"), r));
    assertTrue(first.reply() instanceof CommandReply.Accepted);
    assertEquals(2, first.events().size(), "the submission, then the receipt");
    s.expectNoMoreEffects();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("0B1", "0B2")));
    var second = s.kit.<CommandReply>runCommand(
        r -> new DeliveryReport("0B2", true, ref, List.of("0B1", "0B2"), r));
    assertTrue(second.reply() instanceof CommandReply.Accepted);
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertTrue(notice.delivered());
    assertEquals("imdn-1", notice.imdnMessageId());
    assertEquals(1, ((Active) s.kit.getState()).translation().delivered());
  }

  @Test
  void receiptWithNothingToRecordIsAnsweredAtOnceSoTheSmscResendIsAcknowledged() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("c1")));
    var recorded = s.kit.<CommandReply>runCommand(
        r -> new DeliveryReport("c1", true, ref, List.of("c1"), r));
    assertTrue(recorded.reply() instanceof CommandReply.Accepted);
    assertEquals(1, recorded.events().size());
    s.ports.effects.expectMessageClass(DeliveryNotice.class);
    var resent = s.kit.<CommandReply>runCommand(
        r -> new DeliveryReport("c1", true, ref, List.of("c1"), r));
    assertTrue(resent.reply() instanceof CommandReply.Accepted);
    assertTrue(resent.hasNoEvents());
    s.expectNoMoreEffects();
  }

  @Test
  void aReceiptForAnEndedChatIsAnsweredSoTheSmscStopsResendingIt() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("e1")));
    s.kit.<CloseReply>runCommand(Bye::new);
    assertInstanceOf(Ended.class, s.kit.getState());
    var late = s.kit.<CommandReply>runCommand(
        r -> new DeliveryReport("e1", true, ref, List.of("e1"), r));
    assertInstanceOf(CommandReply.Accepted.class, late.reply());
  }

  @Test
  void failedPartGivesOneFailedNoticeWhenNegativeDeliveryWasRequested() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.FAILURE_ONLY, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("7", "8")));
    s.kit.runCommand(new DeliveryReport("7", false));
    assertTrue(!s.ports.effects.expectMessageClass(DeliveryNotice.class).delivered());
    s.kit.runCommand(new DeliveryReport("8", false));
    s.expectNoMoreEffects();
    assertEquals(1, ((Active) s.kit.getState()).translation().failed());
  }

  @Test
  void successOnlyForMessagesThatAskedForIt() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.FAILURE_ONLY, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("9")));
    s.kit.runCommand(new DeliveryReport("9", true));
    s.expectNoMoreEffects();
  }

  @Test
  void aFailureReportIsOwedWhenTheSmsFailsAfterThe200AndAsksTheSmscForFailures() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-9", "imdn-9", "x", ReceiptRequest.NONE, true, r));
    SmsSubmission sms = s.ports.expectSms();
    assertEquals(ReceiptRequest.FAILURE_ONLY, sms.receipt(),
        "failures are asked of the SMSC so a failure REPORT can follow");
    s.kit.runCommand(new SmsSubmitted(sms.messageRef(), List.of("f1")));
    s.kit.runCommand(new DeliveryReport("f1", false));
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertEquals("msrp-9", notice.msrpMessageId());
    assertEquals(null, notice.imdnMessageId(), "no IMDN was asked for");
    assertTrue(!notice.delivered());
  }

  @Test
  void aLongChatWaitsForTheFailureReceiptsOfItsLastSmsOnlyAndKeepsThatThroughRecovery() {
    Session s = new Session("", 4);
    s.active();
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      String id = "msrp-" + i;
      s.kit.<CommandReply>runCommand(
          r -> new CpmMessage(id, null, "text", ReceiptRequest.NONE, true, r));
      SmsSubmission sms = s.ports.expectSms();
      assertEquals(ReceiptRequest.FAILURE_ONLY, sms.receipt());
      refs.add(sms.messageRef());
      var result = s.kit.runCommand(new SmsSubmitted(sms.messageRef(), List.of("smsc-" + i)));
      if (i == 5) {
        assertEquals(new ChatSessionEvent.FailureReceiptsForgotten(refs.subList(0, 2),
            s.clock.instant()), result.events().get(result.events().size() - 1),
            "five waiting, past 4: down to 3, a quarter of the bound below it");
      } else {
        assertEquals(1, result.events().size(), "message " + i + ": within the bound");
      }
    }
    Translation t = ((Active) s.kit.getState()).translation();
    assertEquals(refs.subList(2, 6), t.awaitingFailureOnly());
    assertEquals(4, t.inFlight().size());
    assertEquals(6, t.toSms());

    Translation recovered = ((Active) s.kit.restart().state()).translation();
    assertEquals(refs.subList(2, 6), recovered.awaitingFailureOnly(), "the same after a replay");
    s.ports.reinvites.receiveMessage();
    s.attach(s.connection);

    var late = s.kit.<CommandReply>runCommand(r -> new DeliveryReport("smsc-1", false, null,
        List.of(), r));
    assertEquals(SessionContext.ACCEPTED, late.reply(), "acknowledged to the SMSC");
    assertTrue(late.events().isEmpty(), "a forgotten SMS's receipt records nothing");
    s.kit.runCommand(new DeliveryReport("smsc-6", false));
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertEquals("msrp-6", notice.msrpMessageId(), "a recent SMS's failure is still reported");
    s.expectNoMoreEffects();
  }

  @Test
  void anSmsAskingForItsDeliveryIsNeverForgottenAndABoundOfNoneReportsNoLaterFailure() {
    Session s = new Session("", 0);
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-p", "imdn-p", "x", ReceiptRequest.SUCCESS_AND_FAILURE, true, r));
    SmsSubmission positive = s.ports.expectSms();
    assertTrue(s.kit.runCommand(new SmsSubmitted(positive.messageRef(), List.of("p1")))
        .events().stream().noneMatch(e -> e instanceof ChatSessionEvent.FailureReceiptsForgotten));
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-q", null, "y", ReceiptRequest.NONE, true, r));
    SmsSubmission failuresOnly = s.ports.expectSms();
    s.kit.runCommand(new SmsSubmitted(failuresOnly.messageRef(), List.of("q1")));
    Translation t = ((Active) s.kit.getState()).translation();
    assertEquals(List.of(positive.messageRef()), List.copyOf(t.inFlight().keySet()));
    s.kit.runCommand(new DeliveryReport("q1", false));
    s.kit.runCommand(new DeliveryReport("p1", true));
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertEquals("imdn-p", notice.imdnMessageId(), "only the SMS still awaited is reported");
    s.expectNoMoreEffects();
  }

  @Test
  void noFailureReportWhenTheSenderRefusedThemOrTheSmsWasDelivered() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-a", "imdn-a", "x", ReceiptRequest.NONE, false, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitFailed(ref, "ESME_RINVDSTADR"));
    s.expectNoMoreEffects();

    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-b", "imdn-b", "y", ReceiptRequest.NONE, true, r));
    String second = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(second, List.of("g1")));
    s.kit.runCommand(new DeliveryReport("g1", true));
    s.expectNoMoreEffects();
  }

  @Test
  void smscRefusalOfAChatMessageGivesAFailedNotice() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitFailed(ref, "ESME_RINVDSTADR"));
    assertTrue(!s.ports.effects.expectMessageClass(DeliveryNotice.class).delivered());
    assertInstanceOf(Active.class, s.kit.getState());
  }

  @Test
  void smsFromTheUserBecomesOneMsrpMessage() {
    Session s = new Session();
    Active active = s.active();
    var result = s.kit.<CommandReply>runCommand(
        r -> new SmsFromUser("Héllo 👋", s.clock.instant(), r));
    assertEquals(new CommandReply.Accepted(), result.reply());
    MsrpMessage m = s.ports.effects.expectMessageClass(MsrpMessage.class);
    assertEquals("Héllo 👋", m.text());
    assertEquals(SMS_MSISDN, m.fromMsisdn());
    assertEquals(active.msrpSessionId(), m.msrpSessionId());
    assertIds(m.ids());
    s.kit.runCommand(new MsrpDelivered(m.messageRef()));
    Translation t = ((Active) s.kit.getState()).translation();
    assertTrue(t.inFlight().isEmpty());
    assertEquals(1, t.toCpm());
  }

  @Test
  void anMsrpSendRepeatedWithItsMessageIdIsAcceptedAndSentToSmsOnce() {
    Session s = new Session();
    s.active();
    var first = s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-7", "imdn-7", "hello", ReceiptRequest.NONE, r));
    assertEquals(new CommandReply.Accepted(), first.reply());
    SmsSubmission sms = s.ports.expectSms();
    var again = s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-7", "imdn-7", "hello", ReceiptRequest.NONE, r));
    assertEquals(new CommandReply.Accepted(), again.reply());
    assertTrue(again.events().isEmpty(), "a resent SEND persists nothing");
    // The same text under a new Message-ID is a new message, and the next SMS the chat sends.
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-8", "imdn-8", "hello", ReceiptRequest.NONE, r));
    assertNotEquals(sms.messageRef(), s.ports.expectSms().messageRef());
    assertEquals(2, ((Active) s.kit.getState()).translation().toSms());
  }

  @Test
  void anSmsReachingTheChatAfterTheSmppEdgesDeadlineIsRefusedUnstored() {
    Session s = new Session();
    s.active();
    java.time.Instant deadline = s.clock.instant();
    s.advance(Duration.ofMillis(1));
    var late = s.kit.<CommandReply>runCommand(
        r -> new SmsFromUser("late", s.clock.instant(), null, deadline, r));
    assertEquals(408, assertInstanceOf(Refusal.class, late.reply()).status());
    assertTrue(late.events().isEmpty(), "a late SMS is not stored");
    // In time, the SMSC's resend is taken: the one delivery of the text.
    var resent = s.kit.<CommandReply>runCommand(r -> new SmsFromUser("late", s.clock.instant(),
        null, s.clock.instant().plusSeconds(4), r));
    assertEquals(new CommandReply.Accepted(), resent.reply());
    assertEquals("late", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
  }

  @Test
  void aHandOverRepeatedByARecoveredSubscriberIsAcceptedAndDeliveredOnce() {
    Session s = new Session();
    s.active();
    var first = s.kit.<CommandReply>runCommand(
        r -> new SmsFromUser("a long text", s.clock.instant(), "x|y|7|2@1000", null, r));
    assertEquals(new CommandReply.Accepted(), first.reply());
    MsrpMessage m = s.ports.effects.expectMessageClass(MsrpMessage.class);
    s.kit.runCommand(new MsrpDelivered(m.messageRef()));
    var repeat = s.kit.<CommandReply>runCommand(
        r -> new SmsFromUser("a long text", s.clock.instant(), "x|y|7|2@1000", null, r));
    assertEquals(new CommandReply.Accepted(), repeat.reply());
    assertTrue(repeat.events().isEmpty(), "a repeated hand-over persists nothing");
    // The same text in a new hand-over (the user sent it again) is a new message.
    s.kit.<CommandReply>runCommand(r -> new SmsFromUser("a long text", s.clock.instant(), "x|y|8|2@2000", null, r));
    MsrpMessage again = s.ports.effects.expectMessageClass(MsrpMessage.class);
    assertNotEquals(m.messageRef(), again.messageRef());
    assertEquals(2, ((Active) s.kit.getState()).translation().toCpm());
  }

  @Test
  void stopKeywordEndsTheChatWithByeCarryingTheIdentifiers() {
    Session s = new Session();
    s.active();
    assertEquals(new CommandReply.Accepted(), s.sms("STOP"));
    SipRequest bye = s.ports.effects.expectMessageClass(SipRequest.class);
    assertEquals("BYE", bye.method());
    assertIds(bye.ids());
    assertEquals("sip:alice@127.0.0.1:5070;transport=tcp", bye.dialog().remoteTarget());
    Ended ended = (Ended) s.kit.getState();
    assertEquals(Outcome.CLOSED, ended.outcome());
    assertEquals(EndCause.SMS_STOP, ended.cause());
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void byeFromCpmSendsTheTeardownSmsAndNoBye() {
    Session s = new Session();
    s.active();
    assertIds(assertInstanceOf(CloseReply.Closed.class,
        s.kit.<CloseReply>runCommand(Bye::new).reply()).ids());
    SmsSubmission teardown = s.ports.expectSms();
    assertEquals("Alice has left the chat.", teardown.text());
    assertEquals(CORRELATION, teardown.source());
    assertEquals(EndCause.CPM_BYE, ((Ended) s.kit.getState()).cause());
    s.smscAccepted(teardown);
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void byeWithoutTeardownPolicySendsNoSms() {
    Session s = new Session("ipsmgw.policy.teardown-sms = false");
    s.active();
    s.kit.<CloseReply>runCommand(Bye::new);
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void adminEndSendsByeAndTheTeardownSms() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(r -> new End("operator", r));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    s.ports.expectSms();
    assertEquals(EndCause.ADMIN, ((Ended) s.kit.getState()).cause());
  }

  @Test
  void idleTimeoutIsResetByActivityAndThenEndsTheChat() {
    Session s = new Session();
    s.active();
    s.advance(Duration.ofMinutes(20));
    s.sms("still here");
    s.ports.effects.expectMessageClass(MsrpMessage.class);
    s.advance(Duration.ofMinutes(20));
    s.expectNoMoreEffects();
    s.advance(Duration.ofMinutes(10));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    assertEquals("Your chat with Alice ended after a period of inactivity.",
        s.ports.expectSms().text());
    assertEquals(EndCause.IDLE_TIMEOUT, ((Ended) s.kit.getState()).cause());
  }

  // --- the MSRP connection attached to the chat ---------------------------------------------

  @Test
  void messagesToTheCpmUserWaitForAConnectionAndGoOutInOrderWhenOneAttaches() {
    Session s = new Session();
    s.activeWithoutConnection();
    s.sms("one");
    s.sms("two");
    s.expectNoMoreEffects();
    s.attach(s.connection);
    MsrpMessage one = s.ports.effects.expectMessageClass(MsrpMessage.class);
    MsrpMessage two = s.ports.effects.expectMessageClass(MsrpMessage.class);
    assertEquals(List.of("one", "two"), List.of(one.text(), two.text()));
    assertEquals(new MediaCommand.Deliver(one), s.connection.receiveMessage());
    assertEquals(new MediaCommand.Deliver(two), s.connection.receiveMessage());
    s.expectNoMoreEffects();
  }

  @Test
  void aConnectionThatEndsLeavesWhatItDidNotConfirmOwedAndTheNextOneGetsItAgain()
      throws InterruptedException {
    Session s = new Session();
    s.active();
    s.sms("one");
    MsrpMessage sent = s.ports.effects.expectMessageClass(MsrpMessage.class);
    s.connection.expectMessageClass(MediaCommand.Deliver.class);
    try (LogCapture log = LogCapture.attach()) {
      s.closeInOrder(s.connection);
      org.ipsmgw.Await.until(() -> log.contains("MSRP connection gone"), Duration.ofSeconds(5),
          "the chat hears its connection ended");
    }
    s.sms("two");
    s.expectNoMoreEffects();

    TestProbe<MediaCommand> reconnected = KIT.createTestProbe();
    s.attach(reconnected);
    MsrpMessage again = s.ports.effects.expectMessageClass(MsrpMessage.class);
    assertEquals(sent.messageRef(), again.messageRef());
    assertEquals(sent.messageId(), again.messageId(), "the same Message-ID: a recognisable repeat");
    assertEquals("one", again.text());
    assertEquals("two", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
    assertEquals("one", ((MediaCommand.Deliver) reconnected.receiveMessage()).message().text());
    assertEquals("two", ((MediaCommand.Deliver) reconnected.receiveMessage()).message().text());

    var confirmed = s.kit.runCommand(new MsrpDelivered(again.messageRef()));
    assertInstanceOf(ChatSessionEvent.MsrpHandedOver.class, confirmed.event());
    assertTrue(s.kit.runCommand(new MsrpDelivered(again.messageRef())).hasNoEvents(),
        "a second 200 (to a resend) changes nothing");
    s.attach(KIT.createTestProbe());
    assertEquals("two", s.ports.effects.expectMessageClass(MsrpMessage.class).text(),
        "only what the CPM side has not confirmed goes again");
    s.expectNoMoreEffects();
  }

  @Test
  void aConnectionLostWithItsNodeReInvitesOnceWithThisNodesMsrpPath() {
    Session s = new Session();
    Active active = s.active();
    s.sms("one");
    s.ports.effects.expectMessageClass(MsrpMessage.class);
    s.connection.expectMessageClass(MediaCommand.Deliver.class);
    s.stopped(s.connection); // no orderly close: its node died or left

    SipRequest reinvite = s.ports.reinvites.receiveMessage();
    assertEquals("INVITE", reinvite.method());
    assertEquals(active.msrpSessionId(), reinvite.msrpSessionId(),
        "an SDP offer of the chat's MSRP session, whose path the SIP edge names on this node");
    assertEquals(active.localTag(), reinvite.localTag());
    assertEquals(active.invitation().sip(), reinvite.dialog(), "in the chat's dialog");
    assertIds(reinvite.ids());
    s.expectNoMoreEffects(); // one re-INVITE, and the owed message waits

    TestProbe<MediaCommand> reconnected = KIT.createTestProbe();
    s.attach(reconnected);
    assertEquals("one", s.ports.effects.expectMessageClass(MsrpMessage.class).text(),
        "the connection the re-INVITE brought gets what the lost one did not confirm");
    assertEquals("one", ((MediaCommand.Deliver) reconnected.receiveMessage()).message().text());
    s.expectNoMoreEffects();
  }

  @Test
  void aConnectionClosedInOrderIsNotReInvitedAndItsMessagesWaitForTheNextOne() {
    Session s = new Session();
    s.active();
    s.closeInOrder(s.connection);
    s.sms("while closed");
    // The marker after everything the chat handled: no re-INVITE came before it.
    s.expectNoMoreEffects();
    assertEquals(new CommandReply.Accepted(), s.kit.<CommandReply>runCommand(
        r -> new ChatSessionCommand.MediaClosed(s.connection.ref(), r)).reply(),
        "a repeat, or a close of a connection never attached, is answered too");
    TestProbe<MediaCommand> next = KIT.createTestProbe();
    s.attach(next);
    assertEquals("while closed", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
    s.expectNoMoreEffects();
  }

  @Test
  void aConnectionLostAfterTheChatEndedIsNotReInvitedAndTheChatReleasesItsSession() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(r -> new End("operator", r));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    s.smscAccepted(s.ports.expectSms());
    s.expectReleasedAndPassivated();
    assertEquals(new MediaCommand.Released(s.id), s.connection.receiveMessage(),
        "the connection drops the ended chat's session and will not ask it when it closes");
    s.stopped(s.connection);
    s.expectNoMoreEffects();
  }

  @Test
  void aReceiptWithNoConnectionBecomesItsImdnWhenOneAttachesAlsoAfterRecoveryUntilConfirmed() {
    Session s = new Session();
    s.activeWithoutConnection();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "x", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("r1")));
    var receipt = s.kit.runCommand(new DeliveryReport("r1", true));
    assertEquals(List.of(new OwedNotice(ref, "imdn-1", null, true, 2)),
        ((Active) receipt.state()).translation().notices(), "the notice is owed in the state");
    s.expectNoMoreEffects();

    s.kit.restart();
    s.ports.reinvites.receiveMessage();
    s.expectNoMoreEffects();
    s.attach(s.connection);
    DeliveryNotice notice = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertEquals("imdn-1", notice.imdnMessageId());
    assertTrue(notice.delivered());
    assertEquals(ref, notice.messageRef());
    assertEquals(ResendableId.of(s.id, ref, "notice"), notice.noticeId());
    assertIds(notice.ids());
    assertEquals(new MediaCommand.Notify(notice), s.connection.receiveMessage());

    s.attach(KIT.createTestProbe());
    assertEquals(notice, s.ports.effects.expectMessageClass(DeliveryNotice.class),
        "not confirmed yet: the next connection gets it again, the same");
    var confirmed = s.kit.runCommand(new MsrpDelivered(ref));
    assertTrue(((Active) confirmed.state()).translation().notices().isEmpty());
    assertEquals(1, ((Active) confirmed.state()).translation().delivered());
    s.attach(KIT.createTestProbe());
    s.kit.restart();
    s.ports.reinvites.receiveMessage();
    s.attach(KIT.createTestProbe());
    s.expectNoMoreEffects();
  }

  @Test
  void whatIsOwedToTheCpmUserGoesOutInTheOrderItBecameOwed() {
    Session s = new Session();
    s.activeWithoutConnection();
    s.sms("first");
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-2", "imdn-2", "x", ReceiptRequest.SUCCESS_AND_FAILURE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.runCommand(new SmsSubmitted(ref, List.of("r2")));
    s.kit.runCommand(new DeliveryReport("r2", false));
    s.sms("third");
    s.expectNoMoreEffects();
    s.attach(s.connection);
    assertEquals("first", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
    DeliveryNotice failed = s.ports.effects.expectMessageClass(DeliveryNotice.class);
    assertEquals("imdn-2", failed.imdnMessageId());
    assertTrue(!failed.delivered());
    assertEquals("third", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
    s.expectNoMoreEffects();
  }

  @Test
  void theAttachAndWhatTheChatSendsItsConnectionCrossNodesAsCbor() {
    TestProbe<MediaCommand> connection = KIT.createTestProbe();
    TestProbe<BindReply> replyTo = KIT.createTestProbe();
    var cbor = KIT.serializationTestKit();
    cbor.verifySerialization(new ChatSessionCommand.BindMedia("s1", connection.ref(),
        replyTo.ref()), true);
    cbor.verifySerialization(new MediaCommand.Deliver(new MsrpMessage("call-1", "s1", "m1",
        SMS_MSISDN, "hi", Instant.parse("2026-11-24T10:00:00Z"), IDS,
        ResendableId.of("call-1", "m1", "message"))), true);
    cbor.verifySerialization(new MediaCommand.Notify(new DeliveryNotice("call-1", "s1",
        "imdn-1", "msrp-1", false, IDS, "m2", ResendableId.of("call-1", "m2", "notice"))), true);
    cbor.verifySerialization(new MediaCommand.Released("call-1"), true);
    cbor.verifySerialization(new ChatSessionCommand.MediaClosed(connection.ref(),
        KIT.<CommandReply>createTestProbe().ref()), true);
  }

  // --- recovery --------------------------------------------------------------------------------

  @Test
  void recoveredInvitationRefreshesAtOnceAndExpiresAtTheStoredDeadline() {
    Session s = new Session();
    s.awaiting();
    s.kit.runCommand(new SmsSubmitted(Translation.INVITATION_REF, List.of("inv-1")));
    AwaitingReply before = (AwaitingReply) s.kit.getState();
    s.clock.advance(Duration.ofSeconds(30)); // the node was down for 30 s
    var restarted = s.kit.restart();
    assertEquals(before, restarted.state());
    s.ports.expectResponse(180);
    TIME.timePasses(Duration.ofSeconds(89));
    s.ports.expectResponse(180); // refresh at 50 s after recovery
    s.clock.advance(Duration.ofSeconds(89));
    s.expectNoMoreEffects();
    s.advance(Duration.ofSeconds(1));
    s.ports.expectResponse(480);
  }

  @Test
  void invitationWhoseDeadlinePassedDuringDowntimeExpiresOnRecovery() {
    Session s = new Session();
    s.awaiting();
    s.clock.advance(Duration.ofMinutes(5));
    s.kit.restart();
    TIME.timePasses(Duration.ofMillis(1));
    s.ports.expectResponse(480);
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void recoveredInvitationResubmitsAnInvitationSmsTheSmscNeverConfirmed() {
    Session s = new Session();
    s.awaiting();
    s.kit.restart();
    s.ports.expectResponse(180);
    SmsSubmission again = s.ports.expectSms();
    assertEquals(Translation.INVITATION_REF, again.messageRef());
    s.kit.runCommand(new SmsSubmitted(Translation.INVITATION_REF, List.of("inv-1")));
    s.kit.restart();
    s.ports.expectResponse(180);
    s.expectNoMoreEffects();
  }

  @Test
  void recoveredDecidingSessionAsksTheSubscriberAgain() {
    Session s = new Session();
    s.invite();
    s.subscriber.expectMessageClass(AdmitInvitation.class);
    s.kit.restart();
    AdmitInvitation again = s.subscriber.expectMessageClass(AdmitInvitation.class);
    again.replyTo().tell(new Admission(new InvitationDecision(InvitationAction.ACCEPT,
        DecisionSource.OPERATOR, 0, "operator choice"), CORRELATION));
    s.ports.expectResponse(200);
  }

  @Test
  void recoveredActiveSessionResubmitsWhatTheSmscNeverConfirmed() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "unconfirmed", ReceiptRequest.NONE, r));
    String ref = s.ports.expectSms().messageRef();
    s.kit.restart();
    SipRequest reinvite = s.ports.reinvites.receiveMessage();
    assertEquals("INVITE", reinvite.method());
    assertEquals(((Active) s.kit.getState()).msrpSessionId(), reinvite.msrpSessionId());
    assertEquals(((Active) s.kit.getState()).localTag(), reinvite.localTag());
    assertIds(reinvite.ids());
    SmsSubmission again = s.ports.expectSms();
    assertEquals(ref, again.messageRef());
    assertEquals("unconfirmed", again.text());
    s.kit.runCommand(new SmsSubmitted(ref, List.of("1")));
    assertTrue(((Active) s.kit.getState()).translation().inFlight().isEmpty());
    s.kit.restart();
    assertEquals("INVITE", s.ports.reinvites.receiveMessage().method());
    s.expectNoMoreEffects();
  }

  @Test
  void reInviteMovesTheRemoteTargetAndTheNextByeGoesThere() {
    Session s = new Session();
    s.active();
    String moved = "sip:alice@10.0.0.9:5070;transport=tcp";
    assertInstanceOf(TargetReply.Refreshed.class, s.kit.<TargetReply>runCommand(
        r -> new ChatSessionCommand.RefreshTarget(moved, r)).reply());
    s.kit.restart();
    assertEquals(moved, ((Active) s.kit.getState()).invitation().sip().remoteTarget(),
        "persisted");
    assertTrue(s.kit.<TargetReply>runCommand(r -> new ChatSessionCommand.RefreshTarget(moved,
        r)).hasNoEvents(), "the same target again changes nothing");
    assertInstanceOf(Refusal.class, s.kit.<TargetReply>runCommand(
        r -> new ChatSessionCommand.RefreshTarget(" ", r)).reply());
  }

  @Test
  void aRecoveredChatWhoseReInviteFailsEndsWithByeTheTeardownSmsAndFreesTheNumber() {
    Session s = new Session();
    s.active();
    s.kit.restart();
    assertEquals("INVITE", s.ports.reinvites.receiveMessage().method());
    var result = s.kit.runCommand(new ChatSessionCommand.ReInviteFailed(481,
        "Call/Transaction Does Not Exist"));
    assertEquals(new ChatSessionEvent.SessionEnded(EndCause.MEDIA_LOST,
        s.clock.instant()), result.event());
    SipRequest bye = s.ports.effects.expectMessageClass(SipRequest.class);
    assertEquals("BYE", bye.method());
    assertIds(bye.ids());
    SmsSubmission teardown = s.ports.expectSms();
    assertEquals("Alice has left the chat.", teardown.text());
    assertEquals(CORRELATION, teardown.source());
    Ended ended = (Ended) s.kit.getState();
    assertEquals(EndCause.MEDIA_LOST, ended.cause());
    assertEquals(Outcome.CLOSED, ended.outcome());
    s.smscAccepted(teardown);
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
    assertInstanceOf(Ended.class, s.kit.restart().state(), "the end is persisted");
  }

  @Test
  void aFailedReInviteWithoutTeardownPolicySendsByeButNoSmsAndALateFailureChangesNothing() {
    Session s = new Session("ipsmgw.policy.teardown-sms = false");
    s.active();
    s.kit.restart();
    s.ports.reinvites.receiveMessage();
    s.kit.runCommand(new ChatSessionCommand.ReInviteFailed(408, "No answer"));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
    assertTrue(s.kit.runCommand(new ChatSessionCommand.ReInviteFailed(481, "again"))
        .hasNoEvents());
    s.expectNoMoreEffects();
  }

  @Test
  void aChatWhoseAckDeadlinePassedWhileDownEndsWithByeOnRecovery() {
    Session s = new Session();
    s.unacknowledged();
    s.clock.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT.plusSeconds(10)); // node down
    s.kit.restart();
    TIME.timePasses(Duration.ofMillis(1));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    assertEquals(EndCause.NO_ACK, ((Ended) s.kit.getState()).cause());
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void aRecoveredUnackedChatStillEndsAtItsStoredDeadline() {
    Session s = new Session();
    s.unacknowledged();
    s.clock.advance(Duration.ofSeconds(10));
    s.kit.restart();
    s.ports.reinvites.receiveMessage();
    s.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT.minusSeconds(11));
    s.expectNoMoreEffects();
    s.advance(Duration.ofSeconds(1));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    s.expectReleasedAndPassivated();
  }

  @Test
  void recoveredActiveSessionKeepsItsIdleDeadline() {
    Session s = new Session();
    s.active();
    s.clock.advance(Duration.ofMinutes(29));
    s.kit.restart();
    s.advance(Duration.ofMinutes(1));
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
  }

  @Test
  void endedSessionReleasesItsNumberAgainOnRecovery() {
    Session s = new Session();
    s.active();
    s.kit.<CloseReply>runCommand(Bye::new);
    s.smscAccepted(s.ports.expectSms());
    s.expectReleasedAndPassivated();
    var restarted = s.kit.restart();
    assertInstanceOf(Ended.class, restarted.state());
    s.expectReleasedAndPassivated();
  }

  @Test
  void longChatIsSnapshottedAndRecoversTheSameState() {
    Session s = new Session();
    s.active();
    for (int i = 0; i < 60; i++) {
      s.sms("message " + i);
      String ref = s.ports.effects.expectMessageClass(MsrpMessage.class).messageRef();
      s.kit.runCommand(new MsrpDelivered(ref));
    }
    Active before = (Active) s.kit.getState();
    assertEquals(60, before.translation().toCpm());
    assertTrue(before.translation().inFlight().isEmpty(), "delivered messages leave the state");
    Active snapshot = s.kit.snapshotTestKit().orElseThrow()
        .expectNextPersistedClass("ChatSession|" + s.id, Active.class);
    assertEquals(IDS, snapshot.invitation().ids());
    assertEquals(before, s.kit.restart().state());
  }

  @Test
  void theObserverHearsLiveChangesOnlyAndNotTheReplayedPast() {
    Session s = new Session();
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "hi", ReceiptRequest.NONE, r));
    s.kit.<CloseReply>runCommand(Bye::new);
    assertEquals(List.of("entered DECIDING", "left DECIDING", "entered ACTIVE",
        "answered ACTIVE", "message TO_SMS", "left ACTIVE", "entered CLOSED", "ended CLOSED"),
        s.observed);
    s.observed.clear();
    s.kit.restart();
    assertEquals(List.of("left CLOSED", "entered CLOSED"), s.observed,
        "a restart leaves and re-enters the current state; no replayed event is counted");
  }

  @Test
  void theObserverHearsOfARecoveryAndItsReInviteOnceEach() {
    Session s = new Session();
    s.active();
    assertEquals(List.of(), s.failover, "a new chat is no recovery");
    s.kit.restart();
    assertEquals("INVITE", s.ports.reinvites.receiveMessage().method());
    assertEquals(List.of("recovered ACTIVE", "re-INVITE recovered"), s.failover);
  }

  @Test
  void theObserverHearsOfAReInviteWhenTheMediaConnectionIsLost() {
    Session s = new Session();
    s.active();
    s.connection.stop();
    assertEquals("INVITE", s.ports.reinvites.receiveMessage().method());
    assertEquals(List.of("re-INVITE media_lost"), s.failover);
  }

  @Test
  void theObserverHearsOfA200NeverAcked() {
    Session s = new Session();
    s.awaiting();
    s.sms("yes");
    s.ports.expectResponse(200);
    s.advance(ChatSessionSettings.DEFAULT_ACK_TIMEOUT);
    assertEquals("BYE", s.ports.effects.expectMessageClass(SipRequest.class).method());
    assertEquals(List.of("unacknowledged"), s.failover);
  }

  // --- SMS-originated chats ---------------------------------------------------------------------

  private static Originating originate(Session s) {
    var result = s.kit.<CommandReply>runCommand(r -> new ChatSessionCommand.Originate(SMS_MSISDN,
        CPM_MSISDN, "hello from sms", s.clock.instant(), r));
    assertInstanceOf(CommandReply.Accepted.class, result.reply());
    return assertInstanceOf(Originating.class, result.state());
  }

  @Test
  void anSmsOriginatedChatInvitesTheCpmUserWithNewIdentifiers() {
    Session s = new Session();
    Originating o = originate(s);
    SipRequest invite = s.ports.reinvites.receiveMessage();
    assertEquals("INVITE", invite.method());
    assertEquals("tel:" + CPM_MSISDN, invite.dialog().remoteTarget());
    assertEquals(null, invite.dialog().remoteTag(), "a new dialog");
    assertEquals(o.invitation().ids(), invite.ids());
    assertNotNull(invite.ids().conversationId());
    assertEquals(o.msrpSessionId(), invite.msrpSessionId());
    assertEquals(CPM_MSISDN, o.correlationMsisdn());
  }

  @Test
  void whenTheCpmUserAcceptsTheWaitingSmsTextsGoOutAsMsrp() {
    Session s = new Session();
    originate(s);
    s.ports.reinvites.receiveMessage();
    var queued = s.kit.<CommandReply>runCommand(r -> new SmsFromUser("and a second",
        s.clock.instant(), r));
    assertInstanceOf(CommandReply.Accepted.class, queued.reply());
    s.expectNoMoreEffects();
    // The CPM side may connect as soon as it has sent its 200, before the gateway hears of it.
    assertTrue(!s.attach(s.connection).established());
    var answered = s.kit.runCommand(new ChatSessionCommand.OriginationOutcome(200, "OK",
        "<tel:" + CPM_MSISDN + ">;tag=cpm1", "cpm1", "sip:alice@127.0.0.1:5070", List.of()));
    Active active = assertInstanceOf(Active.class, answered.state());
    assertEquals("cpm1", active.invitation().sip().remoteTag());
    assertEquals("sip:alice@127.0.0.1:5070", active.invitation().sip().remoteTarget());
    assertEquals("hello from sms",
        s.ports.effects.expectMessageClass(MsrpMessage.class).text());
    assertEquals("and a second", s.ports.effects.expectMessageClass(MsrpMessage.class).text());
  }

  @Test
  void aRefusedOriginationEndsTheChatAndFreesTheNumber() {
    Session s = new Session();
    originate(s);
    s.ports.reinvites.receiveMessage();
    var refused = s.kit.runCommand(new ChatSessionCommand.OriginationOutcome(486, "Busy Here",
        null, null, null, List.of()));
    Ended ended = assertInstanceOf(Ended.class, refused.state());
    assertEquals("REJECTED", ended.stateName());
    assertEquals(486, ended.status());
    SmsSubmission notice = s.ports.expectSms();
    assertEquals("Your message to " + CPM_MSISDN + " could not be delivered.", notice.text());
    assertEquals(SMS_MSISDN, notice.destination());
    assertEquals(CPM_MSISDN, notice.source());
    s.smscAccepted(notice);
    s.expectReleasedAndPassivated();
  }

  @Test
  void noNoticeOfARefusedOriginationWhenPolicySaysSo() {
    Session s = new Session("ipsmgw.policy.not-delivered-sms = false");
    originate(s);
    s.ports.reinvites.receiveMessage();
    s.kit.runCommand(new ChatSessionCommand.OriginationOutcome(408, "Request Timeout", null, null,
        null, List.of()));
    s.expectReleasedAndPassivated();
    s.expectNoMoreEffects();
  }

  @Test
  void aPendingOriginationInvitesAgainAfterARestart() {
    Session s = new Session();
    originate(s);
    SipRequest first = s.ports.reinvites.receiveMessage();
    s.kit.restart();
    SipRequest again = s.ports.reinvites.receiveMessage();
    assertEquals(first.ids(), again.ids());
    assertEquals(first.localTag(), again.localTag());
  }

  @Test
  void theStopKeywordBeforeTheAnswerCancelsTheGatewaysInviteAndALateAnswerGetsBye() {
    Session s = new Session();
    originate(s);
    s.ports.reinvites.receiveMessage();
    var stopped = s.kit.<CommandReply>runCommand(r -> new SmsFromUser("stop", s.clock.instant(),
        r));
    assertInstanceOf(CommandReply.Accepted.class, stopped.reply());
    Ended ended = assertInstanceOf(Ended.class, stopped.state());
    assertEquals(487, ended.status());
    assertInstanceOf(ChatSessionEvent.OriginationCancelled.class, stopped.event());
    assertEquals(EndCause.SMS_CANCEL, ended.cause(), "cancelled, as its own outcome");
    assertEquals(Outcome.REJECTED, ended.outcome());
    assertEquals("Cancelled by the SMS user", ended.reason());
    SipRequest cancel = s.ports.effects.expectMessageClass(SipRequest.class);
    assertEquals("CANCEL", cancel.method());
    s.expectReleasedAndPassivated();

    s.kit.runCommand(new ChatSessionCommand.OriginationOutcome(200, "OK",
        "<tel:" + CPM_MSISDN + ">;tag=late", "late", "sip:alice@127.0.0.1:5070", List.of()));
    SipRequest bye = s.ports.effects.expectMessageClass(SipRequest.class);
    assertEquals("BYE", bye.method());
    assertEquals("late", bye.dialog().remoteTag());
    assertEquals("sip:alice@127.0.0.1:5070", bye.dialog().remoteTarget());
  }

  @Test
  void aMessageTheJournalRefusesIsNeitherAcknowledgedNorCountedAndTheChatRestartsAndGoesOn()
      throws Exception {
    Session s = new Session();
    s.active();
    TestProbe<CommandReply> sender = KIT.createTestProbe();
    s.kit.persistenceTestKit().failNextPersisted();
    try (LogCapture log = LogCapture.attach()) {
      // The kit waits for the entity's state, which it gives only after its restart.
      var refused = java.util.concurrent.CompletableFuture.runAsync(() -> s.kit.runCommand(
          new CpmMessage("msrp-lost", "imdn-lost", "lost", ReceiptRequest.NONE, sender.ref())));
      org.ipsmgw.Await.until(() -> log.contains("Failed to persist event"), Duration.ofSeconds(10),
          "the journal refuses the write");
      // The entity restarts with back-off (JournalFailure) on the manual clock, from its journal.
      s.advance(Duration.ofSeconds(6));
      refused.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    s.kit.runCommand(new CpmMessage("msrp-kept", "imdn-kept", "kept", ReceiptRequest.NONE,
        sender.ref()));
    assertEquals(new CommandReply.Accepted(), sender.receiveMessage());
    // A marker after the one reply: the refused message was never acknowledged.
    Refusal marker = new Refusal(0, "marker");
    sender.ref().tell(marker);
    assertEquals(marker, sender.receiveMessage());
    assertEquals("kept", s.ports.expectSms().text(), "the refused message was never submitted");
    assertEquals(1, s.observed.stream().filter(o -> o.equals("message TO_SMS")).count(),
        "only the persisted message is counted: " + s.observed);
    assertEquals(1, ((Active) s.kit.getState()).translation().toSms());
  }

  @Test
  void everySessionLineCarriesTheSessionIdCallIdAndSmsUserInTheMdc() {
    try (LogCapture log = LogCapture.attach()) {
      Session s = new Session();
      s.active();
      List<LogCapture.Line> lines = log.lines().stream()
          .filter(l -> l.text().startsWith("[session " + s.id + "]")).toList();
      assertTrue(lines.size() >= 2, "INVITE, acceptance and ACK lines: " + lines);
      for (LogCapture.Line line : lines) {
        assertEquals(s.id, line.mdc().get(org.ipsmgw.LogContext.SESSION_ID), line.text());
        assertEquals(s.id, line.mdc().get(org.ipsmgw.LogContext.CALL_ID), line.text());
        assertEquals(SMS_MSISDN, line.mdc().get(org.ipsmgw.LogContext.SMS_USER), line.text());
      }
    }
  }

  @Test
  void theSmscIdsOfASubmittedMessageAreLoggedSoAReceiptCanBeTraced() {
    try (LogCapture log = LogCapture.attach()) {
      Session s = new Session();
      s.active();
      s.kit.<CommandReply>runCommand(
          r -> new CpmMessage("msrp-1", "imdn-1", "hi", ReceiptRequest.NONE, r));
      SmsSubmission sms = s.ports.expectSms();
      s.kit.runCommand(new ChatSessionCommand.SmsSubmitted(sms.messageRef(),
          List.of("smsc-7", "smsc-8")));
      assertTrue(log.contains("[session " + s.id + "] SMS " + sms.messageRef()
          + " accepted by the SMSC as [smsc-7, smsc-8]"), String.valueOf(log.lines()));
      assertTrue(log.lines().stream().noneMatch(l -> l.text().contains("hi")
          && l.text().contains("smsc-7")), "never the text");
    }
  }

  @Test
  void aCancelAJournalOfBeforeTheCancelEventRecordedReadsAsACancelledOrigination() {
    Invitation inv = SessionFixtures.invitation("call-old@cpm.example");
    Originating o = new Originating(inv, "tag", "+447700900100", "msrp", Translation.EMPTY);
    Instant at = Instant.parse("2026-11-01T10:00:00Z");
    Ended cancelled = (Ended) o.apply(new ChatSessionEvent.OriginationFailed(487,
        "Cancelled by the SMS user", at));
    assertEquals(EndCause.SMS_CANCEL, cancelled.cause());
    Ended refused = (Ended) o.apply(new ChatSessionEvent.OriginationFailed(487,
        "Request Terminated", at));
    assertNull(refused.cause(), "a 487 the CPM side sent is no cancel of the SMS user");
  }

  @Test
  void theSummaryShowsWhatTheAdminViewNeedsAndCrossesNodes() {
    Session s = new Session();
    SessionSummary none = s.kit.<SessionSummary>runCommand(ChatSessionCommand.Summarize::new)
        .reply();
    assertEquals("NONE", none.state());
    assertTrue(!none.exists());
    s.active();
    s.kit.<CommandReply>runCommand(
        r -> new CpmMessage("msrp-1", "imdn-1", "hi", ReceiptRequest.NONE, r));
    SessionSummary active = s.kit.<SessionSummary>runCommand(ChatSessionCommand.Summarize::new)
        .reply();
    assertEquals(s.id, active.id());
    assertEquals("ACTIVE", active.state());
    assertEquals(SMS_MSISDN, active.smsMsisdn());
    assertEquals(CORRELATION, active.correlationMsisdn());
    assertIds(active.ids());
    assertEquals(new SessionSummary.Counters(1, 0, 0, 0, 1), active.messages());
    assertNotNull(active.lastActivity());
    assertNull(active.ended());
    s.kit.<CloseReply>runCommand(Bye::new);
    SessionSummary closed = s.kit.<SessionSummary>runCommand(ChatSessionCommand.Summarize::new)
        .reply();
    assertEquals(new SessionSummary.Final(s.clock.instant(), 200, "Chat ended",
        EndCause.CPM_BYE), closed.ended());
    var serialization = new org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit(
        KIT.system());
    assertEquals(closed, serialization.verifySerialization(closed, false));
    assertEquals(none, serialization.verifySerialization(none, false));
  }
}
