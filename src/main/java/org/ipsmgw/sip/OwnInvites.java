package org.ipsmgw.sip;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sdp.SdpException;
import javax.sip.ClientTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.ipsmgw.msrp.MsrpMedia;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own INVITEs (UAC side): the first of an SMS-originated chat, and the re-INVITE
 * that tells the CPM side where the chat's media moved. Each is held until its final response or
 * timeout; a 2xx is ACKed here; the first INVITE's final response, or its timeout, becomes the
 * chat's {@link ChatSessionCommand.OriginationOutcome}, and a passive answer makes this node
 * connect the media (RFC 6135).
 */
final class OwnInvites {
  private static final Logger LOG = LoggerFactory.getLogger(OwnInvites.class);

  private final SipRequests requests;
  private final Transactions transactions;
  private final PendingInvites pending;
  private final SdpBuilder sdp;
  private final MsrpMedia msrp;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;

  OwnInvites(SipRequests requests, Transactions transactions, PendingInvites pending,
      SdpBuilder sdp, MsrpMedia msrp,
      Function<String, RecipientRef<ChatSessionCommand>> sessions) {
    this.requests = requests;
    this.transactions = transactions;
    this.pending = pending;
    this.sdp = sdp;
    this.msrp = msrp;
    this.sessions = sessions;
  }

  /** An INVITE the chat asks for, offering its MSRP path on this node. */
  void send(SipRequest r) {
    InviteContext d = r.dialog();
    boolean first = d.remoteTag() == null;
    try {
      String offer = sdp.offer(msrp.pathUri(r.sessionId(), r.msrpSessionId()),
          r.msrpSessionId());
      Request invite = requests.inDialog(r, offer);
      ClientTransaction tx = transactions.prepare(invite);
      // The ACK to the first INVITE's 2xx follows the route set that 2xx brings; a
      // re-INVITE's follows the dialog's.
      pending.addSent(d.callId(), new PendingInvite.Sent(tx, r.ids(),
          first ? null : d.recordRoute(), first ? r.msrpSessionId() : null, false));
      tx.sendRequest();
      LOG.info("[session {}] SIP INVITE sent to {}", r.sessionId(),
          SipText.bounded(d.remoteTarget()));
    } catch (Exception e) {
      LOG.warn("[session {}] SIP INVITE not sent: {}", r.sessionId(), SipText.reason(e));
      pending.ended(d.callId());
      if (first) {
        sessions.apply(d.callId()).tell(new ChatSessionCommand.OriginationOutcome(503,
            "INVITE not sent: " + SipText.reason(e), null, null, null, List.of()));
      }
    }
  }

  /** CANCEL of the gateway's first INVITE while it has no final response (RFC 3261 §9.1). */
  void cancel(SipRequest r) throws Exception {
    Optional<PendingInvite.Sent> invite = pending.cancel(r.dialog().callId());
    if (invite.isEmpty()) {
      LOG.info("[session {}] nothing to CANCEL: the INVITE was already answered",
          r.sessionId());
      return;
    }
    transactions.prepare(SipRequests.cancel(invite.get().transaction())).sendRequest();
    LOG.info("[session {}] SIP CANCEL sent for the gateway's INVITE", r.sessionId());
  }

  /**
   * A final response to one of the gateway's INVITEs. The first INVITE's goes to its chat; a 2xx
   * names the dialog (the CPM side's tag, Contact, and Record-Route read backwards) and gets
   * its ACK. A 2xx to an INVITE the chat cancelled goes to the chat too: it sends the BYE that
   * dialog now needs.
   */
  void answered(Response response) {
    String callId = ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId();
    int status = response.getStatusCode();
    Optional<PendingInvite.Sent> invite = pending.ended(callId);
    boolean awaited = invite.filter(i -> i.first() && !i.cancelled()).isPresent();
    if (awaited || status / 100 == 2) {
      sessions.apply(callId).tell(outcomeOf(response));
    }
    if (awaited) {
      LOG.info("[session {}] the CPM user answered the gateway's INVITE: {}", callId, status);
      if (status / 100 == 2) {
        connectIfPassive(response, callId, invite.get().msrpSessionId());
      }
    }
    if (status / 100 == 2) {
      ack(response, callId, invite.orElse(null));
    }
  }

  /** The gateway's INVITE got no final response in time (Timer B). */
  void timedOut(ClientTransaction tx) {
    String callId = SipText.value(tx.getRequest(), CallIdHeader.NAME);
    Optional<PendingInvite.Sent> invite = pending.ended(callId);
    if (invite.filter(i -> i.first() && !i.cancelled()).isPresent()) {
      sessions.apply(callId).tell(new ChatSessionCommand.OriginationOutcome(408,
          "No answer to the gateway's INVITE", null, null, null, List.of()));
    }
  }

  /** The answer says a=setup:passive: this node connects to the CPM side's path. */
  private void connectIfPassive(Response ok, String callId, String msrpSessionId) {
    String answer = ok.getRawContent() == null ? ""
        : new String(ok.getRawContent(), StandardCharsets.UTF_8);
    try {
      SdpMedia.read(answer).filter(m -> m.passive() && m.connectable())
          .ifPresent(m -> msrp.connect(m.path(), callId, msrpSessionId));
    } catch (SdpException e) {
      LOG.info("[session {}] the answer's SDP is unreadable: {}", callId,
          SipText.bounded(e.getMessage()));
    }
  }

  private void ack(Response ok, String callId, PendingInvite.Sent invite) {
    try {
      transactions.sendStateless(requests.ack(ok, invite));
    } catch (Exception e) {
      LOG.warn("[session {}] ACK to the INVITE's 2xx not sent: {}", SipText.bounded(callId),
          SipText.reason(e));
    }
  }

  /** A final response to the gateway's INVITE, as its chat needs it. */
  private static ChatSessionCommand.OriginationOutcome outcomeOf(Response response) {
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
    // The CPM side's reason phrase is stored and logged by the chat: cut short and escaped.
    return new ChatSessionCommand.OriginationOutcome(response.getStatusCode(),
        SipText.bounded(response.getReasonPhrase()), SipText.value(response, ToHeader.NAME),
        to.getTag(), contact == null ? null : contact.getAddress().getURI().toString(),
        SipText.routeSet(response));
  }
}
