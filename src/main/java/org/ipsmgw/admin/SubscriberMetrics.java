package org.ipsmgw.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.subscriber.SubscriberObserver;

/**
 * Correlation-pool metrics of one node, bounded whatever the number of SMS users: the pool's
 * size, a histogram of how many pool numbers a user's chats hold at each reservation (its max and
 * upper buckets show users near the end of the pool), and invitations refused on an exhausted
 * pool. No label names a user.
 */
public final class SubscriberMetrics implements SubscriberObserver {
  private final DistributionSummary used;
  private final Counter exhausted;

  public SubscriberMetrics(MeterRegistry registry, Supplier<OperatorPolicy> policy) {
    Gauge.builder("ipsmgw.correlation.pool.size", policy,
            p -> p.get().correlation().pool().size())
        .description("correlation numbers in the pool (ipsmgw.policy.correlation.pool)")
        .strongReference(true).register(registry);
    this.used = DistributionSummary.builder("ipsmgw.correlation.pool.used")
        .description("pool numbers one SMS user's chats hold, at each reservation")
        .serviceLevelObjectives(1, 2, 3, 5, 8, 10, 20, 50, 100).register(registry);
    this.exhausted = Counter.builder("ipsmgw.correlation.pool.exhausted")
        .description("invitations refused 503 because the SMS user held every pool number")
        .register(registry);
  }

  @Override
  public void reserved(int poolNumbers) {
    used.record(poolNumbers);
  }

  @Override
  public void exhausted() {
    exhausted.increment();
  }
}
