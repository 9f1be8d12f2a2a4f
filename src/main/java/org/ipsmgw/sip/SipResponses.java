package org.ipsmgw.sip;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipResponse;

/**
 * The responses the gateway sends, built with the RI's factories: to a request in hand, or to a
 * CPM INVITE another node received, from the header values its chat stored. Each carries the
 * request's CPM identifiers; 18x and 2xx to an INVITE the gateway's Contact with the feature tag.
 */
final class SipResponses {
  static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE";

  private final SipFactories f;
  private final GatewayHeaders common;

  SipResponses(SipFactories factories, SipSettings settings) {
    this.f = factories;
    this.common = new GatewayHeaders(factories, settings);
  }

  /** 503 with Retry-After: this node takes nothing new now (leaving, or busy); try later. */
  Response unavailable(Request request, String reason, int retryAfterSeconds)
      throws ParseException, InvalidArgumentException {
    Response r = final_(request, Response.SERVICE_UNAVAILABLE, reason);
    r.setHeader(f.headers().createRetryAfterHeader(retryAfterSeconds));
    return r;
  }

  /** A final response to a request in hand, with its CPM identifiers and a To tag of ours. */
  Response final_(Request request, int status, String reason) throws ParseException {
    Response r = f.messages().createResponse(status, request);
    GatewayHeaders.copyIds(request, r);
    if (reason != null) {
      r.setReasonPhrase(reason);
    }
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (to.getTag() == null) {
      to.setTag(RandomIds.token());
    }
    return r;
  }

  Response trying(Request invite) throws ParseException {
    Response trying = f.messages().createResponse(Response.TRYING, invite);
    GatewayHeaders.copyIds(invite, trying);
    return trying;
  }

  /** What the gateway takes and where it is, on the transport the OPTIONS came on. */
  Response options(Request options) throws ParseException {
    Response ok = f.messages().createResponse(Response.OK, options);
    for (String method : ALLOW.split(", ")) {
      ok.addHeader(f.headers().createAllowHeader(method));
    }
    ok.addHeader(f.headers().createAcceptHeader("application", "sdp"));
    ok.addHeader(f.headers().createAcceptHeader("message", "cpim"));
    ok.addHeader(f.headers().createAcceptHeader("text", "plain"));
    ok.addHeader(common.contact(transport(ok)));
    return ok;
  }

  /**
   * The chat's response to the CPM INVITE: on the INVITE this node received, else from what the
   * chat stored of it.
   *
   * @param received the INVITE, when this node holds its transaction; else null
   * @param sdp the answer of a 200; else null
   */
  Response toInvite(SipResponse r, Request received, String sdp)
      throws ParseException, InvalidArgumentException {
    Response response = received != null ? f.messages().createResponse(r.status(), received)
        : stateless(r.invite(), r.status());
    response.setReasonPhrase(r.reason());
    decorate(response, r.ids(), r.localTag(), r.status() < 300);
    if (sdp != null) {
      response.setContent(sdp, f.headers().createContentTypeHeader("application", "sdp"));
    }
    return response;
  }

  /** The 200 to a re-INVITE of the CPM side, with this node's answer. */
  Response reInviteOk(Request reInvite, CpmIdentifiers ids, String localTag, String sdp)
      throws ParseException {
    Response ok = f.messages().createResponse(Response.OK, reInvite);
    decorate(ok, ids, localTag, true);
    ok.setContent(sdp, f.headers().createContentTypeHeader("application", "sdp"));
    return ok;
  }

  /** The 200 to a BYE: the chat's identifiers, as it stored them. */
  Response byeOk(Request bye, CpmIdentifiers ids) throws ParseException {
    Response ok = final_(bye, Response.OK, null);
    common.ids(ok, ids);
    return ok;
  }

  /** The 200 to a CANCEL belongs to the conversation too: the INVITE's identifiers, as sent. */
  Response cancelOk(Request cancel, Request invite) throws ParseException {
    Response ok = final_(cancel, Response.OK, null);
    if (invite != null) {
      GatewayHeaders.copyIds(invite, ok);
    }
    return ok;
  }

  /**
   * A response to a stored INVITE, from its header values exactly as received (no reason phrase
   * yet).
   */
  Response stateless(InviteContext invite, int status)
      throws ParseException, InvalidArgumentException {
    List<ViaHeader> vias = new ArrayList<>();
    for (String value : invite.via()) {
      ViaHeader via = (ViaHeader) f.headers().createHeader(ViaHeader.NAME, value);
      if (vias.isEmpty() && via.getTransport().equalsIgnoreCase("TCP") && via.getRPort() > 0) {
        // The INVITE's connection died with the node that received it. Over TCP the response
        // goes to a new connection at the sent-by port (RFC 3261 §18.2.2), not to the old
        // connection's source port the stack noted as rport.
        via.removeParameter("rport");
        via.setRPort();
      }
      vias.add(via);
    }
    Response r = f.messages().createResponse(status,
        f.headers().createCallIdHeader(invite.callId()),
        f.headers().createCSeqHeader(invite.cseq(), Request.INVITE),
        (FromHeader) f.headers().createHeader(FromHeader.NAME, invite.from()),
        (ToHeader) f.headers().createHeader(ToHeader.NAME, invite.to()), vias,
        f.headers().createMaxForwardsHeader(70));
    // The factory insists on a Max-Forwards, which only requests carry (RFC 3261 §20.22).
    r.removeHeader("Max-Forwards");
    return r;
  }

  /** To tag, Contact with the feature tag (18x/2xx), and the CPM identifiers unchanged. */
  private void decorate(Response response, CpmIdentifiers ids, String localTag,
      boolean withContact) throws ParseException {
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (to.getTag() == null && localTag != null && response.getStatusCode() > 100) {
      to.setTag(localTag);
    }
    if (withContact && response.getStatusCode() > 100) {
      response.setHeader(common.contact(transport(response)));
    }
    common.ids(response, ids);
  }

  /** The transport the request came on: its topmost Via's. */
  private static String transport(Response response) {
    ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
    return via == null ? "tcp" : via.getTransport();
  }
}
