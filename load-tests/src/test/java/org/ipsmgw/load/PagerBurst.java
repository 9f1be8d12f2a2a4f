package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Pager burst: {@code load.chats} CPM users at once each send {@code load.pager-messages}
 * pager-mode MESSAGEs to their own SMS user ("MESSAGE→202", "pager SMS at SMSC"; up to
 * {@code load.window} in flight), then the SMS user answers as many MO back, which the gateway
 * sends as MESSAGEs through its outbound proxy (this load generator): "MO deliver_sm_resp",
 * "MESSAGE at CPM". Each conversation checks exactly once and in order.
 */
public class PagerBurst extends Simulation {
  private final LoadConfig config = LoadConfig.fromSystemProperties();
  private final GatewayProtocol gateway = Runs.open(config, "PagerBurst");
  private final ChatActions chat = gateway.actions();

  /** One pager conversation both ways, as the busy evening also runs it. */
  static ChainBuilder conversation(ChatActions chat, LoadConfig config) {
    return exec(repeat(config.pagerMessages()).on(exec(chat.page())))
        .exec(chat.awaitSms())
        .exec(repeat(config.pagerMessages()).on(exec(chat.injectMo(ChatActions.PAGER_AT_CPM))))
        .exec(chat.awaitMsrp())
        .exec(chat.verify())
        .exec(chat.leave());
  }

  private final ScenarioBuilder burst = scenario("pager-burst").exec(conversation(chat, config));

  {
    setUp(burst.injectOpen(atOnceUsers(config.chats())))
        .maxDuration(Duration.ofSeconds(config.durationSeconds() + 60))
        .assertions(Runs.assertions(config));
  }

  @Override
  public void after() {
    Runs.close(gateway);
  }
}
