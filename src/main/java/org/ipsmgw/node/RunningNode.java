package org.ipsmgw.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/** A started node: its actor system and the port its admin HTTP listens on. */
public record RunningNode(ActorSystem<Void> system, int adminPort) {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Leaves the cluster, stops every entity and the admin HTTP, and waits until done. */
  public void stop() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture()
          .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop within " + STOP_TIMEOUT, e);
    }
  }
}
