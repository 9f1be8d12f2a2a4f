package org.ipsmgw.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The journal's write latency: one batch of events handed to the database until it is stored. */
public final class JournalMetrics {
  /**
   * Bucket bounds from a healthy write (a few ms) to the edges' deadlines (connection-timeout 2s,
   * msrp.entity-timeout 6s); 500 ms is the alert's threshold. Fewer series than Micrometer's
   * percentile histogram (69 buckets).
   */
  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private JournalMetrics() {}

  /** @param outcome {@code ok}, or {@code failed} when the write was refused or failed */
  public static Timer writes(MeterRegistry registry, String outcome) {
    return Timer.builder("ipsmgw.journal.write")
        .description("journal writes (one batch of events) to the database, by outcome")
        .tag("outcome", outcome).serviceLevelObjectives(BUCKETS).register(registry);
  }
}
