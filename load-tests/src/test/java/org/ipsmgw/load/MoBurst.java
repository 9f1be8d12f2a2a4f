package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * MO burst: {@code load.chats} chats are set up at 25 per second (INVITE, ACK, MSRP bind; the
 * node accepts at once), meet, and then every SMS user sends {@code load.mo-messages} MO into
 * its running chat at once ({@code load.mo-window} in flight per chat) through the simulator's
 * batch injection: chats × mo-messages MO offered within a few milliseconds. Each MO is timed
 * as "MO deliver_sm_resp" (the node's answer) and "MSRP at CPM"; each chat checks exactly once
 * and in order, then BYE. The run also prints the rate the node answered the burst at.
 */
public class MoBurst extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "MoBurst");
  private final ChatActions chat = gateway.actions();

  private final ScenarioBuilder burst = scenario("mo-burst")
      .exec(chat.invite(true))
      .exitHereIfFailed()
      .rendezVous(config.chats())
      .exec(repeat(config.moMessages()).on(exec(chat.injectMo())))
      .exec(chat.awaitMsrp())
      .exec(chat.verify())
      .exec(chat.bye());

  {
    // Set up at 25 chats/s (what a cold node takes without failures, RESULTS.md); the burst
    // starts once all are up.
    setUp(burst.injectOpen(rampUsers(config.chats()).during(
        Duration.ofMillis(Math.max(1, config.chats() * 40L)))))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
