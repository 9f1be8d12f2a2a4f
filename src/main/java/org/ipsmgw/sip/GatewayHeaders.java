package org.ipsmgw.sip;

import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.CpmIdentifiers;

/**
 * The headers the gateway's own messages share: its Via and Contact on the transport a message
 * travels, the CPM identifiers of the conversation, and the service a request belongs to.
 */
final class GatewayHeaders {
  private final SipFactories f;
  private final SipSettings settings;

  GatewayHeaders(SipFactories factories, SipSettings settings) {
    this.f = factories;
    this.settings = settings;
  }

  /** A new topmost Via at this node, with a fresh RFC 3261 branch. */
  ViaHeader via(String transport) throws ParseException, InvalidArgumentException {
    return f.headers().createViaHeader(settings.host(), settings.port(),
        transport.toUpperCase(Locale.ROOT), "z9hG4bK" + RandomIds.token());
  }

  /**
   * Our Contact, on the transport the CPM side uses, so its in-dialog requests can follow; with
   * the CPM session feature tag (RFC 3840, quoted and percent-encoded).
   */
  ContactHeader contact(String transport) throws ParseException {
    SipURI uri = f.addresses().createSipURI("ipsmgw", settings.host());
    uri.setPort(settings.port());
    uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
    ContactHeader contact = f.headers().createContactHeader(f.addresses().createAddress(uri));
    contact.setParameter(Cpm.SESSION_TAG.substring(0, Cpm.SESSION_TAG.indexOf('=')),
        Cpm.SESSION_TAG.substring(Cpm.SESSION_TAG.indexOf('=') + 1));
    return contact;
  }

  /** The conversation's CPM identifiers, unchanged; nothing when {@code ids} is null. */
  void ids(Message m, CpmIdentifiers ids) throws ParseException {
    if (ids == null) {
      return;
    }
    m.setHeader(f.headers().createHeader(Cpm.CONVERSATION_ID, ids.conversationId()));
    m.setHeader(f.headers().createHeader(Cpm.CONTRIBUTION_ID, ids.contributionId()));
    if (ids.inReplyToContributionId() != null) {
      m.setHeader(f.headers().createHeader(Cpm.IN_REPLY_TO, ids.inReplyToContributionId()));
    }
    if (ids.nonCpmServiceId() != null) {
      m.setHeader(f.headers().createHeader(Cpm.SERVICE_ID, ids.nonCpmServiceId()));
    }
  }

  /** P-Asserted-Service and Accept-Contact of a chat request (OMA CPM cpm.session). */
  void chatService(Request r) throws ParseException {
    service(r, Cpm.SESSION_ICSI, Cpm.SESSION_TAG);
  }

  /** P-Asserted-Service and Accept-Contact of a standalone message (OMA CPM cpm.msg). */
  void messageService(Request r) throws ParseException {
    service(r, Cpm.MSG_ICSI, Cpm.MSG_TAG);
  }

  private void service(Request r, String icsi, String featureTag) throws ParseException {
    r.addHeader(f.headers().createHeader(Cpm.P_ASSERTED_SERVICE, icsi));
    r.addHeader(f.headers().createHeader("Accept-Contact", "*;" + featureTag));
  }

  /** The request's CPM identifier headers, exactly as received, onto a response to it. */
  static void copyIds(Request request, Response response) {
    for (String name : List.of(Cpm.CONVERSATION_ID, Cpm.CONTRIBUTION_ID, Cpm.IN_REPLY_TO,
        Cpm.SERVICE_ID)) {
      Header h = request.getHeader(name);
      if (h != null) {
        response.setHeader(h);
      }
    }
  }
}
