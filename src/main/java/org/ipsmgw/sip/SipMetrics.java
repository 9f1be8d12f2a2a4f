package org.ipsmgw.sip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Response;

/**
 * What the SIP gateway counts: requests received by method, and responses sent by status code and
 * the method they answer (first transmissions only; retransmitted 2xx are not counted again).
 */
final class SipMetrics {
  private final MeterRegistry registry;

  SipMetrics(MeterRegistry registry) {
    this.registry = registry;
    org.ipsmgw.admin.AskTimeouts.register(registry, "sip", "INVITE", "MESSAGE");
    org.ipsmgw.admin.AskTimeouts.registerResends(registry, "sip", "MESSAGE");
  }

  void request(String method) {
    Counter.builder("ipsmgw.sip.requests").description("SIP requests received, by method")
        .tag("method", method).register(registry).increment();
  }

  void response(Response response) {
    CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    Counter.builder("ipsmgw.sip.responses")
        .description("SIP responses sent, by status code and the method they answer")
        .tag("code", String.valueOf(response.getStatusCode()))
        .tag("method", cseq == null ? "unknown" : cseq.getMethod())
        .register(registry).increment();
  }

  /** A chat or pager conversation did not answer in time: the request was answered 503. */
  void askTimeout(String method) {
    org.ipsmgw.admin.AskTimeouts.count(registry, "sip", method);
  }

  /** A batch of MESSAGEs given to its conversation again, unanswered after resend-after. */
  void askResent(String method) {
    org.ipsmgw.admin.AskTimeouts.resent(registry, "sip", method);
  }

  /** New INVITEs handed to their chats and not yet stored (ipsmgw.sip.max-invites-in-flight). */
  void invitesInFlight(java.util.function.IntSupplier inFlight) {
    io.micrometer.core.instrument.Gauge.builder("ipsmgw.sip.invites.in.flight",
            inFlight::getAsInt)
        .description("New INVITEs waiting for their chats to store them").register(registry);
  }

  /** A new INVITE answered 503 Retry-After because too many wait for their chats. */
  void busyRefusal() {
    Counter.builder("ipsmgw.sip.busy.refusals")
        .description("New INVITEs refused 503 because too many waited for their chats")
        .register(registry).increment();
  }

  /** A message the RI could not take (unparsable or without a mandatory header). */
  void malformed(String transport) {
    Counter.builder("ipsmgw.sip.malformed")
        .description("SIP messages dropped as unparsable or incomplete, by transport")
        .tag("transport", transport).register(registry).increment();
  }
}
