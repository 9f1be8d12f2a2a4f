package org.ipsmgw.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The journal's write latency: one batch of events handed to the database until it is stored. */
public final class JournalMetrics {
  private JournalMetrics() {}

  /** @param outcome {@code ok}, or {@code failed} when the write was refused or failed */
  public static Timer writes(MeterRegistry registry, String outcome) {
    return Timer.builder("ipsmgw.journal.write")
        .description("journal writes (one batch of events) to the database, by outcome")
        .tag("outcome", outcome).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }
}
