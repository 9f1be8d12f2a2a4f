package org.ipsmgw.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An edge asked an entity (a chat, a pager conversation) and had no answer in time, so it
 * answered its peer with an error: SIP 503, MSRP 408; and the asks it gave the entity again
 * before that. One counter of each for every edge, so a dashboard sums them and an operator
 * sees which edge and request waited in vain.
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

  /**
   * An edge gave an unanswered ask to its entity again (ipsmgw.msrp.resend-after,
   * ipsmgw.sip.resend-after): a shard hand-over dropped it, or the entity is slow to store it.
   */
  public static void resent(MeterRegistry registry, String edge, String request) {
    resends(registry, edge, request).increment();
  }

  /** The resend series of a request an edge gives again, at 0 from the start. */
  public static void registerResends(MeterRegistry registry, String edge, String request) {
    resends(registry, edge, request);
  }

  private static Counter resends(MeterRegistry registry, String edge, String request) {
    return Counter.builder("ipsmgw.entity.ask.resends")
        .description("edge asks given to their entity again, unanswered after resend-after, by"
            + " edge and request")
        .tag("edge", edge).tag("request", request).register(registry);
  }

  private static Counter counter(MeterRegistry registry, String edge, String request) {
    return Counter.builder("ipsmgw.entity.ask.timeouts")
        .description("edge asks of an entity not answered in time (SIP 503, MSRP 408), by edge"
            + " and request")
        .tag("edge", edge).tag("request", request).register(registry);
  }
}
