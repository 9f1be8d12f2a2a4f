package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.ipsmgw.LogCapture;
import org.ipsmgw.LogContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.PolicyConfig;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ClearPreference;
import org.ipsmgw.subscriber.SmsSubscriberCommand.GetSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.RouteMo;
import org.ipsmgw.subscriber.SmsSubscriberCommand.SetPreference;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReleased;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceCleared;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SmsSubscriber entity on the persistence testkit journal: every command, event and state goes
 * through the CBOR serializer (EventSourcedBehaviorTestKit's serialization check).
 */
class SmsSubscriberTest {
  private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
      .withFallback(ConfigFactory.load()));
  private static final Config SHIPPED_POLICY = ConfigFactory.parseFile(new File("conf/policy.conf"))
      .resolve().getConfig("ipsmgw.policy");

  private static final String SMS = "+447700900777";
  private static final String CPM = "+447700900555";
  private static final String OTHER_CPM = "+447700900666";
  private static final String POOL_1 = "+447700900100";
  private static final String POOL_2 = "+447700900101";
  private static final String POOL_3 = "+447700900102";

  /** The policy the entity reads on every admission; the shipped one unless a test varies it. */
  private static final AtomicReference<OperatorPolicy> POLICY = new AtomicReference<>();

  private static EventSourcedBehaviorTestKit<SmsSubscriberCommand, SmsSubscriberEvent,
      SubscriberState> esbtk;

  @BeforeAll
  static void start() {
    esbtk = EventSourcedBehaviorTestKit.create(KIT.system(), SmsSubscriber.create(SMS, POLICY::get));
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    POLICY.set(policy(""));
    esbtk.clear();
  }

  /** conf/policy.conf with {@code overrides} (keys relative to ipsmgw.policy) on top. */
  private static OperatorPolicy policy(String overrides) {
    return PolicyConfig.fromConfig(ConfigFactory.parseString(overrides).withFallback(SHIPPED_POLICY));
  }

  private static CommandResultWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState,
      Admission> admit(String session, String cpm, boolean anonymous) {
    return esbtk.runCommand(replyTo -> new AdmitInvitation(session, cpm, anonymous, replyTo));
  }

  private static MoRoute route(String to) {
    CommandResultWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState, MoRoute> r =
        esbtk.runCommand(replyTo -> new RouteMo(to, replyTo));
    assertTrue(r.hasNoEvents(), "routing persists nothing");
    return r.reply();
  }

  private static CommandResultWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState,
      PreferenceView> setPreference(InvitationAction action) {
    return esbtk.runCommand(replyTo -> new SetPreference(action, replyTo));
  }

  private static CommandResultWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState,
      PreferenceView> clearPreference() {
    return esbtk.runCommand(ClearPreference::new);
  }

  private static SubscriberState get() {
    CommandResultWithReply<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState,
        SubscriberState> r = esbtk.runCommand(GetSubscriber::new);
    assertTrue(r.hasNoEvents());
    return r.reply();
  }

  // --- admission -------------------------------------------------------------------------------

  @Test
  void admissionWithoutPreferenceInvitesBySmsFromTheCpmNumber() {
    var result = admit("s1", CPM, false);
    InvitationDecision d = result.reply().decision();
    assertEquals(InvitationAction.INVITE_BY_SMS, d.action());
    assertEquals(DecisionSource.OPERATOR, d.source());
    assertEquals(0, d.status());
    assertEquals(CPM, result.reply().correlationMsisdn());
    assertEquals(List.of(new CorrelationReserved("s1", CPM)), result.events());
    assertEquals(Map.of("s1", CPM), result.state().correlations());
  }

  @Test
  void theSameSessionAdmittedTwiceKeepsItsNumberAndPersistsNothingMore() {
    admit("s1", CPM, false);
    var again = admit("s1", CPM, false);
    assertEquals(InvitationAction.INVITE_BY_SMS, again.reply().decision().action());
    assertEquals(CPM, again.reply().correlationMsisdn());
    assertTrue(again.hasNoEvents());
    assertEquals(Map.of("s1", CPM), again.state().correlations());
  }

  @Test
  void aSecondSessionFromTheSameCpmUserGetsTheFirstPoolNumber() {
    assertEquals(CPM, admit("s1", CPM, false).reply().correlationMsisdn());
    var second = admit("s2", CPM, false);
    assertEquals(POOL_1, second.reply().correlationMsisdn());
    assertEquals(new CorrelationReserved("s2", POOL_1), second.event());
    assertEquals(POOL_2, admit("s3", CPM, false).reply().correlationMsisdn());
    // Another CPM user is shown by its own number while it is free.
    assertEquals(OTHER_CPM, admit("s4", OTHER_CPM, false).reply().correlationMsisdn());
    assertEquals(Map.of("s1", CPM, "s2", POOL_1, "s3", POOL_2, "s4", OTHER_CPM),
        get().correlations());
  }

  @Test
  void anExhaustedPoolRejectsWith503AndPersistsNothing() {
    POLICY.set(policy("correlation { mode = POOL, pool = [\"" + POOL_1 + "\"] }"));
    var first = admit("s1", CPM, false);
    assertEquals(POOL_1, first.reply().correlationMsisdn(), "POOL mode never shows the CPM number");

    var second = admit("s2", CPM, false);
    InvitationDecision d = second.reply().decision();
    assertEquals(InvitationAction.REJECT, d.action());
    assertEquals(503, d.status());
    assertEquals(DecisionSource.OPERATOR, d.source());
    assertNull(second.reply().correlationMsisdn());
    assertTrue(second.hasNoEvents());
    assertEquals(Map.of("s1", POOL_1), second.state().correlations());
  }

  @Test
  void aRejectingPreferenceThatWinsReservesNoNumber() {
    setPreference(InvitationAction.REJECT);
    var result = admit("s1", CPM, false);
    InvitationDecision d = result.reply().decision();
    assertEquals(InvitationAction.REJECT, d.action());
    assertEquals(DecisionSource.USER, d.source());
    assertEquals(603, d.status());
    assertNull(result.reply().correlationMsisdn());
    assertTrue(result.hasNoEvents());
    assertEquals(Map.of(), result.state().correlations());
  }

  @Test
  void aPreferenceThatDoesNotWinIsIgnored() {
    POLICY.set(policy("user-preference-wins = false"));
    setPreference(InvitationAction.REJECT);
    var result = admit("s1", CPM, false);
    assertEquals(InvitationAction.INVITE_BY_SMS, result.reply().decision().action());
    assertEquals(DecisionSource.OPERATOR, result.reply().decision().source());
    assertEquals(CPM, result.reply().correlationMsisdn());
  }

  @Test
  void anAcceptingPreferenceStillReservesANumber() {
    setPreference(InvitationAction.ACCEPT);
    var result = admit("s1", CPM, false);
    assertEquals(InvitationAction.ACCEPT, result.reply().decision().action());
    assertEquals(DecisionSource.USER, result.reply().decision().source());
    assertEquals(new CorrelationReserved("s1", CPM), result.event());
  }

  @Test
  void theEntityReadsTheCurrentPolicyOnEveryAdmission() {
    assertEquals(InvitationAction.INVITE_BY_SMS, admit("s1", CPM, false).reply().decision().action());
    POLICY.set(policy("default-invitation = ACCEPT"));
    assertEquals(InvitationAction.ACCEPT, admit("s2", CPM, false).reply().decision().action());
  }

  @Test
  void anAnonymousSenderGetsAPoolNumberNeverItsOwn() {
    POLICY.set(policy("correlation.pool = [\"" + POOL_1 + "\", \"" + POOL_2 + "\"]"));
    var first = admit("s1", CPM, true);
    assertEquals(POOL_1, first.reply().correlationMsisdn());
    assertEquals(new CorrelationReserved("s1", POOL_1), first.event());
    assertEquals(POOL_2, admit("s2", CPM, true).reply().correlationMsisdn());
    // The pool is used up: the CPM number is free but must not be shown.
    var third = admit("s3", CPM, true);
    assertEquals(InvitationAction.REJECT, third.reply().decision().action());
    assertEquals(503, third.reply().decision().status());
    assertNull(third.reply().correlationMsisdn());
    assertTrue(third.hasNoEvents());
    assertFalse(get().correlations().containsValue(CPM));
  }

  @Test
  void aSenderWithoutANumberGetsAPoolNumber() {
    assertEquals(POOL_1, admit("s1", null, false).reply().correlationMsisdn());
  }

  @Test
  void forbiddenAnonymityIsRejectedWith403AndReservesNothing() {
    POLICY.set(policy("anonymity-allowed = false"));
    var result = admit("s1", CPM, true);
    assertEquals(InvitationAction.REJECT, result.reply().decision().action());
    assertEquals(DecisionSource.ANONYMITY, result.reply().decision().source());
    assertEquals(403, result.reply().decision().status());
    assertNull(result.reply().correlationMsisdn());
    assertTrue(result.hasNoEvents());
  }

  // --- release ---------------------------------------------------------------------------------

  @Test
  void releaseFreesTheNumberForTheNextSession() {
    admit("s1", CPM, false);
    var released = esbtk.runCommand(new ReleaseCorrelation("s1"));
    assertEquals(List.of(new CorrelationReleased("s1")), released.events());
    assertEquals(Map.of(), released.state().correlations());

    var next = admit("s2", CPM, false);
    assertEquals(CPM, next.reply().correlationMsisdn());
    assertEquals(new CorrelationReserved("s2", CPM), next.event());
  }

  @Test
  void releasingAPoolNumberMakesItTheFirstFreeAgain() {
    admit("s1", CPM, false);
    admit("s2", CPM, false);
    admit("s3", CPM, false);
    esbtk.runCommand(new ReleaseCorrelation("s2"));
    assertEquals(POOL_1, admit("s4", CPM, false).reply().correlationMsisdn());
    assertEquals(POOL_3, admit("s5", CPM, false).reply().correlationMsisdn());
  }

  @Test
  void releasingAnUnknownOrAlreadyReleasedSessionPersistsNothing() {
    assertTrue(esbtk.runCommand(new ReleaseCorrelation("never")).hasNoEvents());
    admit("s1", CPM, false);
    esbtk.runCommand(new ReleaseCorrelation("s1"));
    var twice = esbtk.runCommand(new ReleaseCorrelation("s1"));
    assertTrue(twice.hasNoEvents());
    assertEquals(SubscriberState.EMPTY, twice.state());
  }

  // --- MO routing ------------------------------------------------------------------------------

  @Test
  void moToACorrelationNumberGoesToItsSession() {
    admit("s1", CPM, false);
    admit("s2", CPM, false);
    assertEquals(new MoRoute.ToSession("s1"), route(CPM));
    assertEquals(new MoRoute.ToSession("s2"), route(POOL_1));
    // The number dialled arrives in whatever form the SMSC uses.
    assertEquals(new MoRoute.ToSession("s2"), route("447700900100"));
    assertEquals(new MoRoute.ToSession("s1"), route("tel:+44-7700-900555"));
  }

  @Test
  void moToAnUnknownNumberHasNoSession() {
    admit("s1", CPM, false);
    assertEquals(new MoRoute.NoSession(SMS, POOL_1), route(POOL_1));
    assertEquals(new MoRoute.NoSession(SMS, OTHER_CPM), route("447700900666"));
  }

  @Test
  void moToGarbageHasNoSession() {
    admit("s1", CPM, false);
    assertEquals(new MoRoute.NoSession(SMS, "garbage"), route("garbage"));
    assertTrue(route("") instanceof MoRoute.NoSession);
  }

  @Test
  void moToAReleasedNumberHasNoSession() {
    admit("s1", CPM, false);
    esbtk.runCommand(new ReleaseCorrelation("s1"));
    assertEquals(new MoRoute.NoSession(SMS, CPM), route(CPM));
  }

  // --- preference ------------------------------------------------------------------------------

  @Test
  void aNewSubscriberHasNoPreferenceAndNoChats() {
    assertEquals(SubscriberState.EMPTY, get());
    assertNull(get().preference());
  }

  @Test
  void preferenceIsSetReplacedAndCleared() {
    var set = setPreference(InvitationAction.ACCEPT);
    assertEquals(List.of(new PreferenceSet(InvitationAction.ACCEPT)), set.events());
    assertEquals(InvitationAction.ACCEPT, set.reply().invitation());
    assertEquals(set.reply().invitation(), set.state().preference());

    var replaced = setPreference(InvitationAction.INVITE_BY_SMS);
    assertEquals(List.of(new PreferenceSet(InvitationAction.INVITE_BY_SMS)), replaced.events());
    assertEquals(InvitationAction.INVITE_BY_SMS, get().preference());

    var cleared = clearPreference();
    assertEquals(List.of(new PreferenceCleared()), cleared.events());
    assertNull(cleared.reply().invitation());
    assertNull(get().preference());
  }

  @Test
  void settingTheSamePreferenceTwicePersistsOnce() {
    assertEquals(1, setPreference(InvitationAction.REJECT).events().size());
    var again = setPreference(InvitationAction.REJECT);
    assertTrue(again.hasNoEvents());
    assertEquals(InvitationAction.REJECT, again.reply().invitation());
    assertEquals(1, esbtk.persistenceTestKit()
        .persistedInStorage("SmsSubscriber|" + SMS).size());
  }

  @Test
  void clearingWithoutAPreferencePersistsNothing() {
    var cleared = clearPreference();
    assertTrue(cleared.hasNoEvents());
    assertEquals(SubscriberState.EMPTY, cleared.state());
    assertNull(cleared.reply().invitation());
    setPreference(InvitationAction.ACCEPT);
    assertEquals(1, clearPreference().events().size());
    assertTrue(clearPreference().hasNoEvents());
  }

  @Test
  void preferenceAndChatsAreIndependent() {
    admit("s1", CPM, false);
    setPreference(InvitationAction.ACCEPT);
    clearPreference();
    assertEquals(Map.of("s1", CPM), get().correlations());
  }

  // --- recovery --------------------------------------------------------------------------------

  @Test
  void stateSurvivesARestart() {
    setPreference(InvitationAction.ACCEPT);
    admit("s1", CPM, false);
    admit("s2", CPM, false);
    admit("s3", CPM, false);
    esbtk.runCommand(new ReleaseCorrelation("s2"));
    SubscriberState before = get();

    SubscriberState restarted = esbtk.restart().state();
    assertEquals(before, restarted);
    assertEquals(InvitationAction.ACCEPT, restarted.preference());
    assertEquals(Map.of("s1", CPM, "s3", POOL_2), restarted.correlations());
    assertEquals(restarted, get());

    // The recovered state is the one in use: routing, idempotent admission, and the next free number.
    assertEquals(new MoRoute.ToSession("s3"), route(POOL_2));
    var again = admit("s1", CPM, false);
    assertEquals(CPM, again.reply().correlationMsisdn());
    assertTrue(again.hasNoEvents());
    assertEquals(POOL_1, admit("s4", CPM, false).reply().correlationMsisdn());
  }

  @Test
  void repeatAfterPolicyTurnedToRejectCarriesNoNumber() {
    assertEquals(CPM, admit("s1", CPM, false).reply().correlationMsisdn());
    POLICY.set(policy("default-invitation = REJECT, user-preference-wins = false"));
    Admission again = admit("s1", CPM, false).reply();
    assertTrue(again.decision().rejects());
    assertNull(again.correlationMsisdn(), "a rejection carries no correlation number");
  }

  @Test
  void aClearedPreferenceStaysClearedAfterARestart() {
    setPreference(InvitationAction.REJECT);
    clearPreference();
    assertNull(esbtk.restart().state().preference());
    assertEquals(InvitationAction.INVITE_BY_SMS, admit("s1", CPM, false).reply().decision().action());
  }

  /** Enough events for a snapshot (every 200): recovery from the snapshot gives the same state. */
  @Test
  void stateSurvivesARestartFromASnapshot() {
    admit("s1", CPM, false);
    for (int i = 0; i < 100; i++) {
      setPreference(InvitationAction.ACCEPT);
      clearPreference();
    }
    assertEquals(OTHER_CPM, admit("s2", OTHER_CPM, false).reply().correlationMsisdn());
    setPreference(InvitationAction.REJECT);
    assertFalse(esbtk.snapshotTestKit().orElseThrow()
        .persistedInStorage("SmsSubscriber|" + SMS).isEmpty(), "a snapshot was taken");

    SubscriberState restarted = esbtk.restart().state();
    assertEquals(InvitationAction.REJECT, restarted.preference());
    assertEquals(Map.of("s1", CPM, "s2", OTHER_CPM), restarted.correlations());
    assertNotEquals(SubscriberState.EMPTY, restarted);
  }

  // --- pager aliases for anonymous senders --------------------------------------------------

  private PagerAlias alias(String identity) {
    return esbtk.<PagerAlias>runCommand(r -> new SmsSubscriberCommand.AssignPagerAlias(identity,
        r)).reply();
  }

  /** The number assigned; fails when the alias was refused. */
  private String aliasNumber(String identity) {
    return assertInstanceOf(PagerAlias.Assigned.class, alias(identity)).number();
  }

  /** The refusal's status; fails when a number was assigned. */
  private int aliasRefusal(String identity) {
    return assertInstanceOf(PagerAlias.Refused.class, alias(identity)).refusal().status();
  }

  @Test
  void anAnonymousPagerSenderGetsAPoolNumberItKeepsAndNoChatTakes() {
    assertEquals(POOL_1, aliasNumber("sip:hidden-a@ims.example"));
    assertEquals(POOL_1, aliasNumber("sip:hidden-a@ims.example"), "the same sender, the same number");
    assertEquals(POOL_2, aliasNumber("sip:hidden-b@ims.example"));
    var admitted = esbtk.<Admission>runCommand(r -> new SmsSubscriberCommand.AdmitInvitation(
        "chat-1", CPM, true, r)).reply();
    assertEquals(POOL_3, admitted.correlationMsisdn(), "an anonymous chat takes the next free one");
  }

  @Test
  void noAliasWhenPolicyForbidsAnonymityOrThePoolIsUsedUp() {
    POLICY.set(policy("anonymity-allowed = false"));
    // A refusal carries no number (PagerAlias.Refused has none).
    assertEquals(403, aliasRefusal("sip:hidden@ims.example"));

    POLICY.set(policy("correlation.pool = [\"" + POOL_1 + "\"]"));
    assertEquals(POOL_1, aliasNumber("sip:one@ims.example"));
    assertEquals(503, aliasRefusal("sip:two@ims.example"));
  }

  // --- journal failures and log context -----------------------------------------------------

  @Test
  void aFailedWriteIsNotAcknowledgedAndTheSubscriberComesBackAsItsJournalHasIt() {
    String msisdn = "+447700900888";
    PersistenceTestKit journal = PersistenceTestKit.create(KIT.system());
    ActorRef<SmsSubscriberCommand> ref = KIT.spawn(SmsSubscriber.create(msisdn, POLICY::get));
    TestProbe<PreferenceView> probe = KIT.createTestProbe();
    ref.tell(new SetPreference(InvitationAction.ACCEPT, probe.ref()));
    assertEquals(InvitationAction.ACCEPT, probe.receiveMessage().invitation());

    journal.failNextPersisted("SmsSubscriber|" + msisdn);
    ref.tell(new SetPreference(InvitationAction.REJECT, probe.ref()));
    // Answered only by an entity that restarted (a stopped one answers nothing); had the failed
    // write been acknowledged, its REJECT would be the first answer.
    ref.tell(new SmsSubscriberCommand.GetPreference(probe.ref()));
    PreferenceView after = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(InvitationAction.ACCEPT, after.invitation(), "the state the journal holds");
  }

  @Test
  void itsLinesCarryTheSubscriberPrefixAndTheSmsUserInTheMdcAlsoAfterPersisting() {
    String msisdn = "+447700900889";
    ActorRef<SmsSubscriberCommand> ref = KIT.spawn(SmsSubscriber.create(msisdn, POLICY::get));
    TestProbe<PreferenceView> probe = KIT.createTestProbe();
    try (LogCapture log = LogCapture.attach()) {
      ref.tell(new SetPreference(InvitationAction.ACCEPT, probe.ref()));
      probe.receiveMessage();
      // Logged in the persist callback (on the journal's answer rather than on a command),
      // before the reply was sent.
      LogCapture.Line line = log.lines().stream()
          .filter(l -> l.text().contains("preference set to ACCEPT")).findFirst().orElseThrow();
      assertEquals("[subscriber " + msisdn + "] preference set to ACCEPT", line.text());
      assertEquals(msisdn, line.mdc().get(LogContext.SMS_USER), line.mdc().toString());
    }
  }
}
