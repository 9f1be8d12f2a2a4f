package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Invitations by SMS with replies, open model (the node on its default policy INVITE_BY_SMS):
 * {@code load.invitation-rate} new invitations per second for {@code load.duration} seconds;
 * each INVITE rings, its invitation SMS reaches the SMSC ("invitation SMS at SMSC"), the SMS
 * user replies "YES" (an MO: "MO deliver_sm_resp"), the INVITE gets its 200 ("YES→200",
 * "INVITE→200"), ACK, then BYE → 200.
 */
public class Invitations extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "Invitations");
  private final ChatActions chat = gateway.actions();

  private final ScenarioBuilder invitations = scenario("invitations")
      .exec(chat.inviteBySms())
      .exitHereIfFailed()
      .exec(chat.replyYes(false))
      .exitHereIfFailed()
      .exec(chat.bye());

  {
    setUp(invitations.injectOpen(constantUsersPerSec(config.invitationRate())
        .during(Duration.ofSeconds(config.durationSeconds()))))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
