package org.ipsmgw.sms;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.ipsmgw.node.ReadinessCheck;

/**
 * Readiness check (pekko-management): not ready while no bind to the SMSC is up, so a load
 * balancer stops sending chats to a node that could not carry them to SMS.
 */
public final class SmscReadiness extends ReadinessCheck {

  public SmscReadiness(ActorSystem system) {
    super(system, "smsc bind");
  }

  @Override
  protected CompletionStage<Optional<String>> problem() {
    SmppEdgeState state = SmppEdgeState.get(system);
    if (state.ready()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    var config = system.settings().config();
    return CompletableFuture.completedFuture(Optional.of(state.bindsUp() + " of " + state.binds()
        + " binds to the SMSC at " + config.getString("ipsmgw.smsc.host") + ":"
        + config.getInt("ipsmgw.smsc.port") + " up"));
  }
}
