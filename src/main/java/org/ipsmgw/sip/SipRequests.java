package org.ipsmgw.sip;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SipRequest;

/**
 * The requests the gateway sends, built with the RI's factories from what the chat stored: BYE,
 * the gateway's own INVITE and its re-INVITEs, the CANCEL of its INVITE, the ACK to a 2xx, and
 * the pager-mode MESSAGE. Each carries the conversation's CPM identifiers and service headers.
 */
final class SipRequests {
  private final SipFactories f;
  private final SipSettings settings;
  private final GatewayHeaders common;
  private final Clock clock;
  private final DialogSequence sequence = new DialogSequence();

  SipRequests(SipFactories factories, SipSettings settings, Clock clock) {
    this.f = factories;
    this.settings = settings;
    this.common = new GatewayHeaders(factories, settings);
    this.clock = clock;
  }

  /**
   * A request of the chat's dialog toward the CPM side (BYE, re-INVITE), or the gateway's own
   * INVITE when the dialog has no remote tag yet: that one goes through the outbound proxy and
   * asserts the SMS user's identity.
   *
   * @param sdp the offer of an INVITE; null for a BYE
   */
  Request inDialog(SipRequest r, String sdp) throws ParseException, InvalidArgumentException {
    InviteContext d = r.dialog();
    boolean first = r.method().equals(Request.INVITE) && d.remoteTag() == null;
    String transport = DialogTransport.of(d, first, settings.outboundProxy());
    FromHeader from = (FromHeader) f.headers().createHeader(FromHeader.NAME, d.to());
    if (from.getTag() == null) {
      from.setTag(r.localTag());
    }
    long cseq = sequence.next(d.callId(), clock.millis());
    Request request = f.messages().createRequest(f.addresses().createURI(d.remoteTarget()),
        r.method(), callId(d.callId()), f.headers().createCSeqHeader(cseq, r.method()), from,
        (ToHeader) f.headers().createHeader(ToHeader.NAME, d.from()), vias(transport),
        f.headers().createMaxForwardsHeader(70));
    for (String route : d.recordRoute()) {
      request.addHeader(f.headers().createHeader("Route", route));
    }
    if (first) {
      if (!settings.outboundProxy().isEmpty()) {
        request.addHeader(f.headers().createRouteHeader(f.addresses().createAddress(
            f.addresses().createURI(settings.outboundProxy()))));
      }
      request.addHeader(f.headers().createHeader("P-Asserted-Identity", d.to()));
    }
    if (sdp != null) {
      request.setContent(sdp, f.headers().createContentTypeHeader("application", "sdp"));
    }
    common.ids(request, r.ids());
    common.chatService(request);
    request.addHeader(common.contact(transport));
    return request;
  }

  /**
   * The ACK to a 2xx of the gateway's INVITE or re-INVITE (RFC 3261 §13.2.2.4): to the 2xx's
   * Contact, along the dialog's route set — the re-INVITE's, or for a first INVITE the one its
   * 2xx brings (its Record-Route read backwards).
   *
   * @param sent the INVITE as this node holds it (or, for a resent 2xx, held it); null when it
   *     holds none (a 2xx resent later than 64·T1, or to an INVITE sent before a restart): the
   *     2xx alone then says where
   */
  Request ack(Response ok, PendingInvite.Sent sent)
      throws ParseException, InvalidArgumentException {
    ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
    URI target = contact != null ? contact.getAddress().getURI()
        : ((ToHeader) ok.getHeader(ToHeader.NAME)).getAddress().getURI();
    List<String> routes = sent == null || sent.routes() == null ? SipText.routeSet(ok)
        : sent.routes();
    // Like any request of the dialog: the next hop's transport when it names one, else the
    // one the INVITE went on (the 2xx's Via is the INVITE's own).
    ViaHeader via = (ViaHeader) ok.getHeader(ViaHeader.NAME);
    String transport = DialogTransport.param(routes.isEmpty() ? target.toString()
        : routes.get(0)).orElse(via == null ? "tcp" : via.getTransport());
    long cseq = ((javax.sip.header.CSeqHeader) ok.getHeader("CSeq")).getSeqNumber();
    Request ack = f.messages().createRequest((URI) target.clone(), Request.ACK,
        (CallIdHeader) ok.getHeader(CallIdHeader.NAME).clone(),
        f.headers().createCSeqHeader(cseq, Request.ACK),
        (FromHeader) ok.getHeader(FromHeader.NAME).clone(),
        (ToHeader) ok.getHeader(ToHeader.NAME).clone(), vias(transport),
        f.headers().createMaxForwardsHeader(70));
    for (String route : routes) {
      ack.addHeader(f.headers().createHeader("Route", route));
    }
    common.ids(ack, sent == null ? null : sent.ids());
    common.chatService(ack);
    return ack;
  }

  /**
   * The CANCEL of the gateway's pending INVITE (RFC 3261 §9.1). The RI's createCancel() copies
   * only the dialog's headers; the CANCEL belongs to the conversation too.
   */
  static Request cancel(ClientTransaction invite) throws SipException {
    Request cancel = invite.createCancel();
    GatewayStack.copyCpmHeaders(invite.getRequest(), cancel);
    return cancel;
  }

  /**
   * A pager-mode MESSAGE to a CPM user, as the SMS user: through the outbound proxy when there
   * is one (its transport= picks the Via's), else straight to a sip: target.
   *
   * @throws IllegalStateException when there is no proxy and the target is no sip: URI
   */
  Request message(SipMessageRequest m, String callId)
      throws ParseException, InvalidArgumentException {
    String route = settings.outboundProxy();
    if (route.isEmpty() && !m.target().startsWith("sip:")) {
      throw new IllegalStateException("no ipsmgw.sip.outbound-proxy to route " + m.target());
    }
    String transport = DialogTransport.param(route.isEmpty() ? m.target() : route)
        .orElse("tcp");
    URI sender = f.addresses().createURI("tel:" + m.fromMsisdn());
    Request request = f.messages().createRequest(f.addresses().createURI(m.target()),
        Request.MESSAGE, callId(callId), f.headers().createCSeqHeader(1L, Request.MESSAGE),
        f.headers().createFromHeader(f.addresses().createAddress(sender), RandomIds.token()),
        f.headers().createToHeader(f.addresses().createAddress(
            f.addresses().createURI(m.target())), null), vias(transport),
        f.headers().createMaxForwardsHeader(70));
    request.addHeader(f.headers().createHeader("P-Asserted-Identity",
        f.addresses().createAddress(sender).toString()));
    if (!route.isEmpty()) {
      request.addHeader(f.headers().createRouteHeader(f.addresses().createAddress(
          f.addresses().createURI(route))));
    }
    request.setContent(m.cpim(), f.headers().createContentTypeHeader("message", "cpim"));
    common.ids(request, m.ids());
    common.messageService(request);
    return request;
  }

  /** A Call-ID of the gateway's own: random, at this node's host. */
  String newCallId() {
    return RandomIds.token() + "@" + settings.host();
  }

  private CallIdHeader callId(String callId) throws ParseException {
    return f.headers().createCallIdHeader(callId);
  }

  private List<ViaHeader> vias(String transport)
      throws ParseException, InvalidArgumentException {
    List<ViaHeader> vias = new ArrayList<>();
    vias.add(common.via(transport));
    return vias;
  }
}
