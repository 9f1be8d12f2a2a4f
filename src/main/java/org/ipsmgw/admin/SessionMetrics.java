package org.ipsmgw.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.SessionObserver;

/**
 * Session metrics of one node: sessions in memory by state (sum the nodes for the cluster),
 * ended sessions by outcome, how long invitations waited for their answer, and chat messages each
 * way.
 */
public final class SessionMetrics implements SessionObserver {
  private static final List<String> STATES = List.of("DECIDING", "AWAITING_REPLY", "ORIGINATING", "ACTIVE",
      "REJECTED", "EXPIRED", "CANCELLED", "CLOSED");

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();

  public SessionMetrics(MeterRegistry registry) {
    this.registry = registry;
    STATES.forEach(this::gauge);
    // Failover's counters exist from the start, at 0, so a rate sees the first recovery.
    STATES.forEach(this::recoveries);
    List.of("recovered", "media_lost").forEach(this::reInvites);
    unacknowledgedChats();
  }

  private AtomicLong gauge(String state) {
    return byState.computeIfAbsent(state, s -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("ipsmgw.sessions", value, AtomicLong::get)
          .description("chat sessions in this node's memory, by state").tag("state", s)
          .register(registry);
      return value;
    });
  }

  @Override
  public void entered(String state) {
    gauge(state).incrementAndGet();
  }

  @Override
  public void left(String state) {
    gauge(state).decrementAndGet();
  }

  @Override
  public void answered(String outcome, Duration sinceInvite) {
    Timer.builder("ipsmgw.invitation.answer")
        .description("INVITE received to its final answer (200 or an error), by outcome")
        .tag("outcome", outcome).publishPercentileHistogram().register(registry)
        .record(sinceInvite);
  }

  @Override
  public void ended(String outcome) {
    Counter.builder("ipsmgw.sessions.ended").description("sessions ended, by outcome")
        .tag("outcome", outcome).register(registry).increment();
  }

  @Override
  public void pagerMessage(Direction direction) {
    Counter.builder("ipsmgw.pager.messages")
        .description("pager-mode messages stored for translation, by direction")
        .tag("direction", direction.name().toLowerCase(Locale.ROOT)).register(registry)
        .increment();
  }

  @Override
  public void recovered(String state) {
    recoveries(state).increment();
  }

  private Counter recoveries(String state) {
    return Counter.builder("ipsmgw.sessions.recovered")
        .description("chats restarted from the journal (failover, hand-off, rebalance), by the "
            + "state they came back in").tag("state", state).register(registry);
  }

  @Override
  public void reInvited(String reason) {
    reInvites(reason).increment();
  }

  private Counter reInvites(String reason) {
    return Counter.builder("ipsmgw.sessions.reinvites")
        .description("re-INVITEs moving a chat's MSRP path to this node, by reason")
        .tag("reason", reason).register(registry);
  }

  @Override
  public void unacknowledged() {
    unacknowledgedChats().increment();
  }

  private Counter unacknowledgedChats() {
    return Counter.builder("ipsmgw.sessions.unacknowledged")
        .description("chats whose 200 to the INVITE was never ACKed (ended with a BYE)")
        .register(registry);
  }

  @Override
  public void message(Direction direction) {
    Counter.builder("ipsmgw.chat.messages")
        .description("chat messages accepted for translation, by direction")
        .tag("direction", direction.name().toLowerCase(Locale.ROOT)).register(registry)
        .increment();
  }
}
