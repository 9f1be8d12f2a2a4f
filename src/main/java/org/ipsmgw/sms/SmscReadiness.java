package org.ipsmgw.sms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check (pekko-management): not ready while no bind to the SMSC is up, so a load
 * balancer stops sending chats to a node that could not carry them to SMS.
 */
public final class SmscReadiness implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public SmscReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(SmppEdgeState.get(system).ready());
  }
}
