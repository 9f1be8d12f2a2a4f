package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SmsSubscriberTest {
  private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
      .withFallback(ConfigFactory.load()));
  private static final AtomicInteger SEQ = new AtomicInteger(100);
  private static final String CPM = "+447700900555";
  private static final String POOL_1 = "+447700900100";
  private static final String POOL_2 = "+447700900101";

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static EventSourcedBehaviorTestKit<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState>
      subscriber(String policyOverrides) {
    OperatorPolicy policy = PolicyConfig.fromConfig(ConfigFactory.parseString(policyOverrides)
        .withFallback(ConfigFactory.parseFile(new File("conf/policy.conf"))).resolve()
        .getConfig("ipsmgw.policy"));
    String msisdn = "+4477009007" + SEQ.incrementAndGet();
    return EventSourcedBehaviorTestKit.create(KIT.system(), SmsSubscriber.create(msisdn, () -> policy));
  }

  private static EventSourcedBehaviorTestKit<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState>
      subscriber() {
    return subscriber("ipsmgw.policy.correlation.pool = [\"" + POOL_1 + "\", \"" + POOL_2 + "\"]");
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<SmsSubscriberCommand,
      SmsSubscriberEvent, SubscriberState, Admission> admit(
      EventSourcedBehaviorTestKit<SmsSubscriberCommand, SmsSubscriberEvent, SubscriberState> s,
      String session, String cpm, boolean anonymous) {
    return s.runCommand(r -> new AdmitInvitation(session, cpm, anonymous, r));
  }

  @Test
  void admissionReservesTheCpmNumberByDefault() {
    var s = subscriber();
    var result = admit(s, "s1", CPM, false);
    assertEquals(InvitationAction.INVITE_BY_SMS, result.reply().decision().action());
    assertEquals(CPM, result.reply().correlationMsisdn());
    assertEquals(new CorrelationReserved("s1", CPM), result.event());
  }

  @Test
  void admissionIsIdempotentPerSession() {
    var s = subscriber();
    admit(s, "s1", CPM, false);
    var again = admit(s, "s1", CPM, false);
    assertEquals(CPM, again.reply().correlationMsisdn());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void secondChatWithTheSameCpmUserGetsAPoolNumber() {
    var s = subscriber();
    admit(s, "s1", CPM, false);
    assertEquals(POOL_1, admit(s, "s2", CPM, false).reply().correlationMsisdn());
    assertEquals(POOL_2, admit(s, "s3", CPM, false).reply().correlationMsisdn());
  }

  @Test
  void exhaustedPoolRejectsWith503AndStoresNothing() {
    var s = subscriber("ipsmgw.policy.correlation { mode = POOL, pool = [\"" + POOL_1 + "\"] }");
    admit(s, "s1", CPM, false);
    var second = admit(s, "s2", CPM, false);
    assertEquals(InvitationAction.REJECT, second.reply().decision().action());
    assertEquals(503, second.reply().decision().status());
    assertNull(second.reply().correlationMsisdn());
    assertTrue(second.hasNoEvents());
  }

  @Test
  void rejectingPreferenceReservesNoNumber() {
    var s = subscriber();
    s.<SubscriberState>runCommand(r -> new SetPreference(InvitationAction.REJECT, r));
    var result = admit(s, "s1", CPM, false);
    assertEquals(InvitationAction.REJECT, result.reply().decision().action());
    assertEquals(DecisionSource.USER, result.reply().decision().source());
    assertNull(result.reply().correlationMsisdn());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void anonymousSenderNeverGetsItsOwnNumberShown() {
    var s = subscriber();
    assertEquals(POOL_1, admit(s, "s1", CPM, true).reply().correlationMsisdn());
  }

  @Test
  void releaseFreesTheNumberAndUnknownReleaseStoresNothing() {
    var s = subscriber();
    admit(s, "s1", CPM, false);
    assertEquals(new CorrelationReleased("s1"), s.runCommand(new ReleaseCorrelation("s1")).event());
    assertEquals(CPM, admit(s, "s2", CPM, false).reply().correlationMsisdn());
    assertTrue(s.runCommand(new ReleaseCorrelation("never")).hasNoEvents());
  }

  @Test
  void moIsRoutedByTheNumberDialled() {
    var s = subscriber();
    admit(s, "s1", CPM, false);
    admit(s, "s2", CPM, false);
    assertEquals(new MoRoute.ToSession("s1"), s.<MoRoute>runCommand(r -> new RouteMo(CPM, r)).reply());
    assertEquals(new MoRoute.ToSession("s2"),
        s.<MoRoute>runCommand(r -> new RouteMo("447700900100", r)).reply());
    assertTrue(s.<MoRoute>runCommand(r -> new RouteMo(POOL_2, r)).reply() instanceof MoRoute.NoSession);
    assertTrue(s.<MoRoute>runCommand(r -> new RouteMo("garbage", r)).reply() instanceof MoRoute.NoSession);
  }

  @Test
  void preferenceIsSetClearedAndOnlyPersistedWhenItChanges() {
    var s = subscriber();
    var set = s.<SubscriberState>runCommand(r -> new SetPreference(InvitationAction.ACCEPT, r));
    assertEquals(InvitationAction.ACCEPT, set.reply().preference());
    assertEquals(1, set.events().size());
    assertTrue(s.<SubscriberState>runCommand(r -> new SetPreference(InvitationAction.ACCEPT, r))
        .hasNoEvents());
    var cleared = s.<SubscriberState>runCommand(ClearPreference::new);
    assertNull(cleared.reply().preference());
    assertTrue(s.<SubscriberState>runCommand(ClearPreference::new).hasNoEvents());
  }

  @Test
  void stateSurvivesARestart() {
    var s = subscriber();
    s.<SubscriberState>runCommand(r -> new SetPreference(InvitationAction.ACCEPT, r));
    admit(s, "s1", CPM, false);
    admit(s, "s2", CPM, false);
    SubscriberState restarted = s.restart().state();
    assertEquals(InvitationAction.ACCEPT, restarted.preference());
    assertEquals(Map.of("s1", CPM, "s2", POOL_1), restarted.correlations());
    assertEquals(restarted, s.<SubscriberState>runCommand(GetSubscriber::new).reply());
  }
}
