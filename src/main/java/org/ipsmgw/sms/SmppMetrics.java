package org.ipsmgw.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the SMPP edge counts: binds up, each submit_sm by its response status, MO parts by what
 * they were answered, receipts by state, submit_sm round-trip time, the submissions queued and
 * each bind's window use.
 */
final class SmppMetrics {
  private final MeterRegistry registry;
  private final Timer submitTime;
  private final SmppEdgeState state;

  SmppMetrics(MeterRegistry registry, SmppEdgeState state) {
    this.registry = registry;
    // One edge state per node: a gateway started again in the same node reuses its gauges.
    if (registry.find("ipsmgw.smpp.binds.up").gauge() == null) {
      Gauge.builder("ipsmgw.smpp.binds.up", state, SmppEdgeState::bindsUp)
          .description("SMPP transceiver binds currently up").register(registry);
      Gauge.builder("ipsmgw.smpp.binds.configured", state, SmppEdgeState::binds)
          .description("SMPP transceiver binds configured").register(registry);
      Gauge.builder("ipsmgw.smpp.queue", state, SmppEdgeState::queued)
          .description("SMS accepted by the SMPP edge, not yet submitted or failed (waiting "
              + "behind their thread, for a window slot or a bind, or in flight)")
          .register(registry);
      Gauge.builder("ipsmgw.smpp.window.size", state, SmppEdgeState::window)
          .description("submit_sm outstanding per bind at most (ipsmgw.smsc.window)")
          .register(registry);
    }
    this.state = state;
    this.submitTime = Timer.builder("ipsmgw.smpp.submit.duration")
        .description("submit_sm to submit_sm_resp").publishPercentileHistogram()
        .register(registry);
  }

  /** One window gauge per bind (1 … {@code binds}); a gauge registered before is kept. */
  void windows(int binds) {
    for (int i = 1; i <= binds; i++) {
      int bind = i;
      Gauge.builder("ipsmgw.smpp.window.used", state, s -> s.inFlight(bind))
          .description("submit_sm awaiting their response on one bind").tag("bind", String.valueOf(bind))
          .register(registry);
    }
  }

  /** One submit_sm answered with {@code status}, or "timeout" / "bind-lost" when not at all. */
  void submit(String status, Duration took) {
    Counter.builder("ipsmgw.smpp.submits").description("submit_sm by response status")
        .tag("status", status).register(registry).increment();
    if (took != null) {
      submitTime.record(took);
    }
  }

  void mo(String result) {
    Counter.builder("ipsmgw.smpp.mo.parts").description("MO deliver_sm by how it was answered")
        .tag("result", result).register(registry).increment();
  }

  void receipt(ReceiptState state) {
    Counter.builder("ipsmgw.smpp.receipts").description("delivery receipts by state")
        .tag("state", state.name()).register(registry).increment();
  }

  void failed(String why) {
    Counter.builder("ipsmgw.smpp.messages.failed")
        .description("messages failed back to their session").tag("reason", why)
        .register(registry).increment();
  }
}
