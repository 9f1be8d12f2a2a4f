package org.ipsmgw.msrp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.ipsmgw.admin.AskTimeouts;
import org.ipsmgw.admin.NodeMetrics;

/**
 * What the MSRP endpoint counts: connections open, SEND requests by the status they were answered
 * (ours to the CPM side's, the CPM side's to ours), REPORTs each way, and chats that did not store
 * a SEND in time (408). One per node, so the connection gauge outlives an endpoint started again.
 */
final class MsrpMetrics implements Extension {
  private final MeterRegistry registry;
  private final AtomicLong connections = new AtomicLong();

  MsrpMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("ipsmgw.msrp.connections", connections, AtomicLong::get)
        .description("MSRP TCP connections open on this node, accepted or opened")
        .strongReference(true).register(registry);
    // Every series from the start, at 0, so a rate sees the first one.
    AskTimeouts.register(registry, "msrp", "SEND");
    AskTimeouts.registerResends(registry, "msrp", "SEND");
    for (boolean sent : new boolean[] {true, false}) {
      for (boolean success : new boolean[] {true, false}) {
        reports(sent, success);
      }
    }
  }

  static MsrpMetrics get(ActorSystem<?> system) {
    return Id.INSTANCE.get(Adapter.toClassic(system));
  }

  void opened() {
    connections.incrementAndGet();
  }

  void closed() {
    connections.decrementAndGet();
  }

  /** A SEND answered: {@code in} ours to the CPM side's SEND, else the CPM side's to ours. */
  void send(boolean in, int status) {
    Counter.builder("ipsmgw.msrp.sends")
        .description("MSRP SEND requests by the status they were answered, by direction")
        .tag("direction", in ? "in" : "out").tag("status", String.valueOf(status))
        .register(registry).increment();
  }

  /** A REPORT: {@code sent} by the gateway or received; {@code success} when its status is 200. */
  void report(boolean sent, boolean success) {
    reports(sent, success).increment();
  }

  private Counter reports(boolean sent, boolean success) {
    return Counter.builder("ipsmgw.msrp.reports").description("MSRP REPORTs by direction and kind")
        .tag("direction", sent ? "sent" : "received").tag("kind", success ? "success" : "failure")
        .register(registry);
  }

  void askTimeout() {
    AskTimeouts.count(registry, "msrp", "SEND");
  }

  /** A batch of SENDs given to its chat again, unanswered after ipsmgw.msrp.resend-after. */
  void askResent() {
    AskTimeouts.resent(registry, "msrp", "SEND");
  }

  private static final class Id extends AbstractExtensionId<MsrpMetrics> {
    static final Id INSTANCE = new Id();

    @Override
    public MsrpMetrics createExtension(ExtendedActorSystem system) {
      return new MsrpMetrics(NodeMetrics.get(Adapter.toTyped(system)).registry());
    }
  }
}
