package org.ipsmgw.sip;

import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Where the gateway's messages leave the node: a response on its request's server transaction or
 * statelessly, a request in a new client transaction or (an ACK to a 2xx) statelessly. Each
 * response is counted before it leaves, so a peer that has it also finds it in /metrics.
 */
final class Transactions {
  private final Supplier<SipProvider> provider;
  private final SipMetrics metrics;
  private final SipResponses responses;

  /** @param provider the stack's provider, once it listens */
  Transactions(Supplier<SipProvider> provider, SipMetrics metrics, SipResponses responses) {
    this.provider = provider;
    this.metrics = metrics;
    this.responses = responses;
  }

  /** The request's server transaction, or null for a retransmission the stack already has. */
  ServerTransaction serverTransaction(RequestEvent event) throws SipException {
    ServerTransaction st = event.getServerTransaction();
    if (st != null) {
      return st;
    }
    try {
      return provider.get().getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException retransmission) {
      return null;
    }
  }

  /** A final response to the request, on its transaction (none for a retransmission). */
  void reply(RequestEvent event, int status, String reason) throws Exception {
    send(event, final_(event.getRequest(), status, reason));
  }

  void send(RequestEvent event, Response response) throws Exception {
    ServerTransaction st = serverTransaction(event);
    if (st != null) {
      respondIn(st, response);
    }
  }

  Response final_(Request request, int status, String reason) throws Exception {
    return responses.final_(request, status, reason);
  }

  void respondIn(ServerTransaction st, Response response) throws Exception {
    metrics.response(response);
    st.sendResponse(response);
  }

  void respondStateless(Response response) throws SipException {
    metrics.response(response);
    provider.get().sendResponse(response);
  }

  /** A response sent once more (a 2xx over UDP): not counted again. */
  void resend(Response response) throws SipException {
    provider.get().sendResponse(response);
  }

  /** A client transaction for the request, not yet sent: its bookkeeping comes first. */
  ClientTransaction prepare(Request request) throws SipException {
    return provider.get().getNewClientTransaction(request);
  }

  /** An ACK to a 2xx: no transaction of its own (RFC 3261 §17.1.1.3). */
  void sendStateless(Request request) throws SipException {
    provider.get().sendRequest(request);
  }
}
