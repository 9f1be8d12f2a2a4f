package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Steady two-way chat, closed model: {@code load.chats} chats at any time for
 * {@code load.duration} seconds; each chat is set up (INVITE, ACK, MSRP bind), sends
 * {@code load.messages} MSRP messages to its SMS user (up to {@code load.window} in flight) and
 * gets {@code load.mo-messages} (default: as many) MO SMS back, interleaved, checks both arrived exactly once and in order, and ends with BYE;
 * a new chat (new numbers) takes its place. Failures must stay under 0.1 %.
 */
public class ChatSteady extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "ChatSteady");
  private final ChatActions chat = gateway.actions();

  private final ScenarioBuilder steady = scenario("chat-steady")
      .exec(chat.invite(true))
      .exitHereIfFailed()
      .exec(chat.traffic(config));

  {
    setUp(steady.injectClosed(
        constantConcurrentUsers(config.chats()).during(Duration.ofSeconds(config.durationSeconds()))))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
