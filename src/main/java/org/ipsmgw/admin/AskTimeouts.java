package org.ipsmgw.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An edge asked an entity (a chat, a pager conversation) and had no answer in time, so it
 * answered its peer with an error: SIP 503, MSRP 408. One counter for every edge, so a
 * dashboard sums them and an operator sees which edge and request waited in vain.
 */
public final class AskTimeouts {
  private AskTimeouts() {}

  /** @param edge {@code sip} or {@code msrp}; @param request the peer's method (INVITE, SEND …) */
  public static void count(MeterRegistry registry, String edge, String request) {
    counter(registry, edge, request).increment();
  }

  /**
   * The series an edge can count, at 0 from the start: a rate over a counter that appears only
   * with its first timeout would miss that one.
   */
  public static void register(MeterRegistry registry, String edge, String... requests) {
    for (String request : requests) {
      counter(registry, edge, request);
    }
  }

  private static Counter counter(MeterRegistry registry, String edge, String request) {
    return Counter.builder("ipsmgw.entity.ask.timeouts")
        .description("edge asks of an entity not answered in time (SIP 503, MSRP 408), by edge"
            + " and request")
        .tag("edge", edge).tag("request", request).register(registry);
  }
}
