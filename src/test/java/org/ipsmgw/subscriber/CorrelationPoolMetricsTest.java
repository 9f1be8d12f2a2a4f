package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.ipsmgw.admin.SubscriberMetrics;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.PolicyConfig;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The correlation pool's metrics move with the SMS user's reservations, bounded whatever the
 * number of users: the pool's size, pool numbers held at each reservation (a histogram), and
 * invitations refused on an exhausted pool (a counter). No series names a user.
 */
class CorrelationPoolMetricsTest {
  private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseFile(new File("conf/serialization.conf")))
      .withFallback(ConfigFactory.load()));
  private static final Config SHIPPED_POLICY = ConfigFactory.parseFile(new File("conf/policy.conf"))
      .resolve().getConfig("ipsmgw.policy");
  private static final String POOL_1 = "+447700900100";
  private static final String POOL_2 = "+447700900101";
  private static final String CPM = "+447700900555";

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void reservationsFillTheHistogramAndAnExhaustedPoolIsCounted() {
    AtomicReference<OperatorPolicy> policy = new AtomicReference<>(PolicyConfig.fromConfig(
        ConfigFactory.parseString("correlation { mode = POOL, pool = [\"" + POOL_1 + "\", \""
            + POOL_2 + "\"] }").withFallback(SHIPPED_POLICY)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    var esbtk = EventSourcedBehaviorTestKit.<SmsSubscriberCommand, SmsSubscriberEvent,
        SubscriberState>create(KIT.system(), SmsSubscriber.create("+447700900777", policy::get,
        MoSettings.DEFAULT, id -> null, null, java.time.Clock.systemUTC(),
        new SubscriberMetrics(registry, policy::get)));
    assertEquals(2.0, registry.get("ipsmgw.correlation.pool.size").gauge().value());

    for (String session : new String[] {"s1", "s2", "s3"}) {
      esbtk.<Admission>runCommand(r -> new AdmitInvitation(session, CPM, false, r));
    }
    var used = registry.get("ipsmgw.correlation.pool.used").summary();
    assertEquals(2, used.count(), "two reservations");
    assertEquals(3.0, used.totalAmount(), "one, then both pool numbers held");
    assertEquals(2.0, used.max());
    assertEquals(1.0, registry.get("ipsmgw.correlation.pool.exhausted").counter().count(),
        "the third invitation found no free number");
    assertEquals(InvitationAction.REJECT, esbtk.<Admission>runCommand(
        r -> new AdmitInvitation("s4", CPM, false, r)).reply().decision().action());
    assertEquals(2.0, registry.get("ipsmgw.correlation.pool.exhausted").counter().count());
    assertEquals(0, registry.getMeters().stream().filter(m -> m.getId().getTags().stream()
        .anyMatch(t -> t.getValue().contains("447700900777"))).count(), "no label names a user");
  }
}
