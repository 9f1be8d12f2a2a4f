package org.ipsmgw.sms;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The SMPP edge's bind state, its queue and its windows, readable by the readiness check and the
 * metrics without asking the gateway actor (a health check must answer even when the actor is
 * busy).
 */
public final class SmppEdgeState implements Extension {
  private volatile int bindsUp;
  private volatile int binds;
  private volatile boolean running;
  private volatile boolean requiredForReadiness;
  private volatile int queued;
  private volatile BindPool pool;

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

  void queued(int submissions) {
    this.queued = submissions;
  }

  void pool(BindPool current) {
    this.pool = current;
  }

  /** SMS accepted by the edge and not yet submitted or failed (waiting or in flight). */
  int queued() {
    return queued;
  }

  /** submit_sm outstanding on bind {@code index} (1-based). */
  int inFlight(int index) {
    BindPool p = pool;
    return p == null || index > p.size() ? 0 : p.inFlight(index - 1);
  }

  int window() {
    BindPool p = pool;
    return p == null ? 0 : p.window();
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
