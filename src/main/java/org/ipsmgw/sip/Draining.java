package org.ipsmgw.sip;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The node's graceful leave as the SIP side sees it: once it drains, whatever would open
 * something new here — an INVITE or MESSAGE outside a dialog — and the front's OPTIONS probe are
 * answered 503 with Retry-After, so the front takes the node out of its set and new chats start
 * on other nodes. Requests of dialogs that exist (ACK, BYE, re-INVITE, CANCEL of a pending
 * INVITE) are still served until the node leaves.
 */
final class Draining {
  private final SipResponses responses;
  private final int retryAfterSeconds;
  private volatile boolean on;

  Draining(SipResponses responses, SipSettings settings) {
    this.responses = responses;
    this.retryAfterSeconds = (int) settings.drainRetryAfter().toSeconds();
  }

  /** @return true the first time only */
  boolean start() {
    boolean was = on;
    on = true;
    return !was;
  }

  /** The request is refused here: the node drains and it would open something new. */
  boolean refuses(Request request) {
    if (!on) {
      return false;
    }
    return switch (request.getMethod()) {
      case Request.OPTIONS -> true;
      case Request.INVITE, Request.MESSAGE ->
          ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
      default -> false;
    };
  }

  Response refusal(Request request) throws ParseException, InvalidArgumentException {
    return responses.unavailable(request, "Node leaving", retryAfterSeconds);
  }
}
