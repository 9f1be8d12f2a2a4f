package org.ipsmgw.sip;

import gov.nist.javax.sip.message.SIPMessage;
import javax.sip.RequestEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request must be before any part of the gateway or any entity sees it: from a trusted
 * source (else 403), and of a Call-ID a chat can be stored under (else 400 or 481). Each refusal
 * is logged once per source and interval, with the peer's values cut short.
 */
final class RequestAdmission {
  private static final Logger LOG = LoggerFactory.getLogger(RequestAdmission.class);

  private final SipSettings settings;
  private final Transactions transactions;
  private final SipResponses responses;
  private final OncePerInterval untrusted;
  private final OncePerInterval longCallIds;

  RequestAdmission(SipSettings settings, Transactions transactions, SipResponses responses) {
    this.settings = settings;
    this.transactions = transactions;
    this.responses = responses;
    this.untrusted = new OncePerInterval(settings.malformedLogInterval(), 4096);
    this.longCallIds = new OncePerInterval(settings.malformedLogInterval(), 4096);
  }

  /** @return true to serve the request; false when it was refused here */
  boolean admit(RequestEvent event) throws Exception {
    Request request = event.getRequest();
    String source = ((SIPMessage) request).getRemoteAddress() == null ? "?"
        : ((SIPMessage) request).getRemoteAddress().getHostAddress();
    if (!settings.trusts(source)) {
      long suppressed = untrusted.admit(source);
      if (suppressed >= 0) {
        LOG.warn("SIP {} from untrusted {}: 403{}", SipText.bounded(request.getMethod()),
            source, OncePerInterval.heldBack(suppressed));
      }
      if (!request.getMethod().equals(Request.ACK)) {
        transactions.respondStateless(responses.final_(request, Response.FORBIDDEN,
            "Not a trusted peer"));
      }
      return false;
    }
    if (SipGateway.callId(request).length() > settings.maxCallIdLength()
        && !request.getMethod().equals(Request.OPTIONS)) {
      refuseLongCallId(event, source);
      return false;
    }
    return true;
  }

  /**
   * A Call-ID longer than a chat can be stored under: a new call is refused with 400, a request
   * of such a call (never admitted) gets 481, and no entity is asked. The log gets its length and
   * start, once per source and interval.
   */
  private void refuseLongCallId(RequestEvent event, String source) throws Exception {
    Request request = event.getRequest();
    String callId = SipGateway.callId(request);
    boolean opens = request.getMethod().equals(Request.MESSAGE)
        || request.getMethod().equals(Request.INVITE)
            && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
    int status = opens ? Response.BAD_REQUEST : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
    if (!request.getMethod().equals(Request.ACK)) {
      transactions.reply(event, status, "Call-ID too long");
    }
    long suppressed = longCallIds.admit(source);
    if (suppressed >= 0) {
      LOG.info("SIP {} from {} with a Call-ID of {} characters (at most {}), starting "
          + "\"{}\": {}{}", SipText.bounded(request.getMethod()), source, callId.length(),
          settings.maxCallIdLength(), SipText.bounded(callId),
          request.getMethod().equals(Request.ACK) ? "dropped" : status,
          OncePerInterval.heldBack(suppressed));
    }
  }
}
