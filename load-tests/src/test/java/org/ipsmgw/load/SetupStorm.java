package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Set-up storm, open model: {@code load.rate} new chats per second for {@code load.duration}
 * seconds, each INVITE → 200 → ACK then BYE → 200 (no media, as a user who hangs up at once),
 * whether or not earlier ones are answered. Failures must stay under 0.1 %.
 */
public class SetupStorm extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "SetupStorm");
  private final ChatActions chat = gateway.actions();

  private final ScenarioBuilder storm = scenario("setup-storm")
      .exec(chat.invite(false))
      .exitHereIfFailed()
      .exec(chat.bye());

  {
    setUp(storm.injectOpen(
        constantUsersPerSec(config.rate()).during(Duration.ofSeconds(config.durationSeconds()))))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
