package org.ipsmgw.admin;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The node's one metrics registry, scraped in Prometheus text format at GET /metrics, with the
 * JVM's heap, GC pauses, threads and CPU (Micrometer's binders: jvm_*, process_*, system_*).
 */
public final class NodeMetrics implements Extension {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Listens to the JVM's GC notifications until the node's actor system ends. */
  private final JvmGcMetrics gc = new JvmGcMetrics();

  NodeMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    return Id.INSTANCE.get(Adapter.toClassic(system));
  }

  static NodeMetrics get(org.apache.pekko.actor.ActorSystem system) {
    return Id.INSTANCE.get(system);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private static final class Id extends AbstractExtensionId<NodeMetrics> {
    static final Id INSTANCE = new Id();

    @Override
    public NodeMetrics createExtension(ExtendedActorSystem system) {
      NodeMetrics metrics = new NodeMetrics();
      system.registerOnTermination(metrics.gc::close);
      return metrics;
    }
  }
}
