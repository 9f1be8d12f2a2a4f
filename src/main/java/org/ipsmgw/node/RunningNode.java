package org.ipsmgw.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.ipsmgw.sms.SmppGateway;

/**
 * A started node: its actor system, the port its admin HTTP listens on, its SMPP gateway (null
 * without the SMPP edge) and its MSRP port (0 without the MSRP endpoint).
 */
public record RunningNode(ActorSystem<Void> system, int adminPort,
    ActorRef<SmppGateway.Command> smppGateway, int msrpPort) {
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
