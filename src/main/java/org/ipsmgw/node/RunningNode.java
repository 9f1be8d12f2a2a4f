package org.ipsmgw.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.ipsmgw.sms.SmppGateway;

/**
 * A started node: its actor system, the port its admin HTTP listens on, and its SMPP gateway
 * (null when the node runs without the SMPP edge).
 */
public record RunningNode(ActorSystem<Void> system, int adminPort,
    ActorRef<SmppGateway.Command> smppGateway) {
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
