package org.ipsmgw.sip;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.TestPorts;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.subscriber.SmsSubscriberCommand;

/**
 * A real SIP gateway on a free loopback port whose chats, SMS users and pager conversations are
 * probes (they answer only when a test says), with a real CPM client over UDP.
 */
final class ProbedGateway implements AutoCloseable {
  final ActorTestKit kit = ActorTestKit.create();
  final TestProbe<ChatSessionCommand> chats = kit.createTestProbe(ChatSessionCommand.class);
  final TestProbe<SmsSubscriberCommand> subscribers =
      kit.createTestProbe(SmsSubscriberCommand.class);
  final TestProbe<PagerCommand> pagers = kit.createTestProbe(PagerCommand.class);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final int port = TestPorts.free();
  private SipGateway gateway;
  CpmClient client;

  /** @param settings the gateway's settings for the given port */
  ProbedGateway(IntFunction<SipSettings> settings, String clientMsisdn) throws Exception {
    try {
      gateway = new SipGateway(settings.apply(port), "127.0.0.1", 9, null, id -> chats.ref(),
          id -> pagers.ref(), id -> subscribers.ref(), kit.system().scheduler(),
          Clock.systemUTC(), registry);
      gateway.start();
      client = new CpmClient("127.0.0.1", TestPorts.free(), clientMsisdn);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * The gateway's settings with the given INVITE wait, overload limit and wait of other
   * requests, others the defaults.
   */
  static SipSettings settings(int port, Duration inviteTimeout, int maxInvitesInFlight,
      Duration busyRetryAfter, Duration entityTimeout) {
    return new SipSettings("127.0.0.1", port, Set.of(), false, true, "", Duration.ofSeconds(60),
        SipSettings.DEFAULT_T1, SipSettings.DEFAULT_T2, SipSettings.DEFAULT_MAX_CALL_ID_LENGTH,
        SipSettings.DEFAULT_DRAIN_RETRY_AFTER, inviteTimeout, maxInvitesInFlight,
        busyRetryAfter, entityTimeout);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    if (gateway != null) {
      gateway.stop();
    }
    kit.shutdownTestKit();
  }
}
