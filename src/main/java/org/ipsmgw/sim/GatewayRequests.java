package org.ipsmgw.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;

/**
 * The CPM client's answers to the gateway's own requests: 200 to each (a re-INVITE's with an
 * active SDP answer, after which the client reconnects its MSRP), or, while ringing only, 180 to
 * a new INVITE and 487 once it is cancelled. Every request is then queued for the test.
 */
final class GatewayRequests {
  private final CpmClient client;
  private final SipProvider provider;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  /** New INVITEs from the gateway that were answered 180 and wait (see {@link #ringOnly}). */
  private final Map<String, ServerTransaction> ringing = new ConcurrentHashMap<>();
  private volatile boolean ringOnly;
  private volatile boolean resendReInviteOks;
  /** How the next re-INVITEs are answered, one status each; the last one stays. */
  private final java.util.Deque<Integer> reInviteStatuses =
      new java.util.concurrent.ConcurrentLinkedDeque<>(java.util.List.of(Response.OK));

  GatewayRequests(CpmClient client, SipProvider provider, MessageFactory messages)
      throws Exception {
    this.client = client;
    this.provider = provider;
    this.messages = messages;
    this.headers = SipFactory.getInstance().createHeaderFactory();
  }

  BlockingQueue<Request> received() {
    return requests;
  }

  void ringOnly(boolean on) {
    ringOnly = on;
  }

  void resendReInviteOks(boolean on) {
    resendReInviteOks = on;
  }

  synchronized void answerReInvites(int... statuses) {
    reInviteStatuses.clear();
    for (int status : statuses) {
      reInviteStatuses.add(status);
    }
  }

  private synchronized int nextReInviteStatus() {
    return reInviteStatuses.size() > 1 ? reInviteStatuses.poll() : reInviteStatuses.peek();
  }

  void process(RequestEvent event) {
    Request r = event.getRequest();
    try {
      if (ring(event) || cancelRinging(event) || refuseReInvite(event)) {
        requests.add(r);
        return;
      }
      if (!r.getMethod().equals(Request.ACK)) {
        ServerTransaction st = transaction(event);
        Response ok = messages.createResponse(Response.OK, r);
        ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
        if (r.getMethod().equals(Request.INVITE) && to.getTag() == null) {
          // A new dialog (the gateway's own INVITE): this side's tag completes its id.
          to.setTag(RandomIds.token());
        }
        if (r.getMethod().equals(Request.INVITE)) {
          // A re-INVITE from the gateway: answer active and reconnect to its new path.
          ok.addHeader(headers.createHeader("Contact", "<" + client.contact() + ">"));
          ok.setContent(client.offer("active"), headers.createContentTypeHeader("application",
              "sdp"));
        }
        st.sendResponse(ok);
        if (resendReInviteOks && r.getMethod().equals(Request.INVITE)) {
          // As a UAS whose 2xx seemed lost: the same 2xx once more, outside the transaction.
          provider.sendResponse(ok);
        }
        if (r.getMethod().equals(Request.INVITE)) {
          client.reconnect(new String(r.getRawContent(), StandardCharsets.UTF_8));
        }
      }
    } catch (Exception e) {
      // The test sees the request anyway; the gateway will retransmit if the 200 was lost.
    }
    requests.add(r);
  }

  private boolean ring(RequestEvent event) throws Exception {
    Request r = event.getRequest();
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (!ringOnly || !r.getMethod().equals(Request.INVITE) || to.getTag() != null) {
      return false;
    }
    ServerTransaction st = transaction(event);
    Response ringingResponse = messages.createResponse(Response.RINGING, r);
    ((ToHeader) ringingResponse.getHeader(ToHeader.NAME)).setTag(RandomIds.token());
    st.sendResponse(ringingResponse);
    ringing.put(callId(r), st);
    return true;
  }

  /** A re-INVITE while answering them otherwise: the error status, or nothing at all. */
  private boolean refuseReInvite(RequestEvent event) throws Exception {
    Request r = event.getRequest();
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (!r.getMethod().equals(Request.INVITE) || to.getTag() == null
        || event.getServerTransaction() != null) {
      return false;
    }
    int status = nextReInviteStatus();
    if (status == Response.OK) {
      return false;
    }
    if (status != 0) {
      transaction(event).sendResponse(messages.createResponse(status, r));
    }
    return true;
  }

  private boolean cancelRinging(RequestEvent event) throws Exception {
    Request r = event.getRequest();
    if (!r.getMethod().equals(Request.CANCEL)) {
      return false;
    }
    ServerTransaction invite = ringing.remove(callId(r));
    transaction(event).sendResponse(messages.createResponse(Response.OK, r));
    if (invite != null) {
      invite.sendResponse(messages.createResponse(Response.REQUEST_TERMINATED,
          invite.getRequest()));
    }
    return true;
  }

  private ServerTransaction transaction(RequestEvent event) throws Exception {
    return event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(event.getRequest());
  }

  private static String callId(Request r) {
    return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
  }
}
