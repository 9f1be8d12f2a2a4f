package org.ipsmgw.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check (pekko-management): not ready while the shards of the set-up path's entities
 * are still starting ({@link ShardWarmUp}), so a load balancer sends no INVITE that would wait
 * for its shard.
 */
public final class ShardReadiness extends ReadinessCheck {

  public ShardReadiness(ActorSystem system) {
    super(system, "shards");
  }

  @Override
  protected CompletionStage<Optional<String>> problem() {
    return CompletableFuture.completedFuture(ShardWarmUp.get(system).problem());
  }
}
