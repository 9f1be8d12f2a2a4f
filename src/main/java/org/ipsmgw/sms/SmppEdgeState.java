package org.ipsmgw.sms;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The SMPP edge's bind state, readable by the readiness check and the metrics without asking the
 * gateway actor (a health check must answer even when the actor is busy).
 */
public final class SmppEdgeState implements Extension {
  private volatile int bindsUp;
  private volatile int binds;
  private volatile boolean running;
  private volatile boolean requiredForReadiness;

  /** The node's instance. */
  public static SmppEdgeState get(ActorSystem<?> system) {
    return Id.INSTANCE.get(Adapter.toClassic(system));
  }

  static SmppEdgeState get(org.apache.pekko.actor.ActorSystem system) {
    return Id.INSTANCE.get(system);
  }

  void update(int up, int total, boolean required) {
    this.bindsUp = up;
    this.binds = total;
    this.requiredForReadiness = required;
    this.running = true;
  }

  public int bindsUp() {
    return bindsUp;
  }

  public int binds() {
    return binds;
  }

  /** Ready unless the SMPP edge runs, must be bound for readiness, and has no bind up. */
  public boolean ready() {
    return !running || !requiredForReadiness || bindsUp > 0;
  }

  private static final class Id extends AbstractExtensionId<SmppEdgeState> {
    static final Id INSTANCE = new Id();

    @Override
    public SmppEdgeState createExtension(ExtendedActorSystem system) {
      return new SmppEdgeState();
    }
  }
}
