package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * A busy evening: everything at once at modest rates, the node on its default policy
 * INVITE_BY_SMS, for {@code load.duration} seconds:
 * <ul>
 *   <li>chats (closed, {@code load.chats} at a time): invited by SMS, accepted by a "YES", then
 *       {@code load.messages} MSRP messages and as many MO each way ({@code load.mo-window} MO in
 *       flight, so MO bursts into running chats), checked, BYE;
 *   <li>invitations (open, {@code load.invitation-rate}/s): invited by SMS, "YES", BYE;
 *   <li>pager conversations (open, {@code load.pager-rate}/s): {@code load.pager-messages}
 *       MESSAGEs and as many MO back.
 * </ul>
 */
public class BusyEvening extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "BusyEvening");
  private final ChatActions chat = gateway.actions();
  private final Duration during = Duration.ofSeconds(config.durationSeconds());

  private final ScenarioBuilder chats = scenario("evening-chats")
      .exec(chat.inviteBySms())
      .exitHereIfFailed()
      .exec(chat.replyYes(true))
      .exitHereIfFailed()
      .exec(chat.traffic(config));

  private final ScenarioBuilder invitations = scenario("evening-invitations")
      .exec(chat.inviteBySms())
      .exitHereIfFailed()
      .exec(chat.replyYes(false))
      .exitHereIfFailed()
      .exec(chat.bye());

  private final ScenarioBuilder pager = scenario("evening-pager")
      .exec(PagerBurst.conversation(chat, config));

  {
    setUp(chats.injectClosed(constantConcurrentUsers(config.chats()).during(during)),
        invitations.injectOpen(constantUsersPerSec(config.invitationRate()).during(during)),
        pager.injectOpen(constantUsersPerSec(config.pagerRate()).during(during)))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
