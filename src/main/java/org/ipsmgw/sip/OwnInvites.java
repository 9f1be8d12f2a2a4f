package org.ipsmgw.sip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.sdp.SdpException;
import javax.sip.ClientTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.ipsmgw.LogContext;
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
 * connect the media (RFC 6135). A re-INVITE that fails — an error final response, no answer, or
 * not sent at all — becomes the chat's {@link ChatSessionCommand.ReInviteFailed}; a 491 (the CPM
 * side's own re-INVITE crossed it) is first sent once more after the RFC 3261 §14.1 delay.
 */
final class OwnInvites {
  private static final Logger LOG = LoggerFactory.getLogger(OwnInvites.class);

  private final SipRequests requests;
  private final Transactions transactions;
  private final PendingInvites pending;
  private final SdpBuilder sdp;
  private final MsrpMedia msrp;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final BiConsumer<Duration, Runnable> later;
  private final Duration t1;
  private final AnsweredInvites answeredInvites;
  /** Re-INVITEs awaiting their final response that a 491 may still send once more. */
  private final Map<String, SipRequest> retryable = new ConcurrentHashMap<>();

  /**
   * @param later runs a task after a delay (the 491 retry)
   * @param t1 RFC 3261 T1 of the INVITE transactions: no final response after 64·T1 is a timeout
   */
  OwnInvites(SipRequests requests, Transactions transactions, PendingInvites pending,
      SdpBuilder sdp, MsrpMedia msrp,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      BiConsumer<Duration, Runnable> later, Duration t1) {
    this.requests = requests;
    this.transactions = transactions;
    this.pending = pending;
    this.sdp = sdp;
    this.msrp = msrp;
    this.sessions = sessions;
    this.later = later;
    this.t1 = t1;
    this.answeredInvites = new AnsweredInvites(t1.multipliedBy(64), System::nanoTime);
  }

  /** An INVITE the chat asks for, offering its MSRP path on this node. */
  void send(SipRequest r) {
    send(r, true);
  }

  /** @param mayRetry a 491 to this re-INVITE sends it once more (false for that retry) */
  private void send(SipRequest r, boolean mayRetry) {
    InviteContext d = r.dialog();
    boolean first = d.remoteTag() == null;
    if (!first && mayRetry) {
      retryable.put(d.callId(), r);
    }
    try {
      String offer = sdp.offer(msrp.pathUri(r.sessionId(), r.msrpSessionId()),
          r.msrpSessionId());
      Request invite = requests.inDialog(r, offer);
      ClientTransaction tx = transactions.prepare(invite);
      tx.setRetransmitTimer((int) t1.toMillis());
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
      } else {
        reInviteFailed(d.callId(), 503, "re-INVITE not sent: " + SipText.reason(e));
      }
    }
  }

  /**
   * The re-INVITE failed for good: the chat has no media path and ends. A 491 is the CPM side's
   * re-INVITE crossing this one (RFC 3261 §14.1): it is sent once more after 2.1–4 s when this
   * side chose the Call-ID (the gateway started the dialog), else after up to 2 s, so the two
   * sides do not cross again.
   */
  private void reInviteFailed(String callId, int status, String reason) {
    SipRequest retry = retryable.remove(callId);
    if (status == 491 && retry != null) {
      boolean ownCallId = retry.dialog().via().isEmpty();
      long millis = ownCallId ? ThreadLocalRandom.current().nextLong(2100, 4001)
          : ThreadLocalRandom.current().nextLong(0, 2001);
      LOG.info("[session {}] re-INVITE crossed one of the CPM side (491): sent again in {} ms",
          retry.sessionId(), millis);
      later.accept(Duration.ofMillis(millis), () -> {
        try (LogContext.Scope m = SipMdc.chat(retry.sessionId())) {
          send(retry, false);
        }
      });
      return;
    }
    LOG.info("[session {}] the gateway's re-INVITE failed: {} {}", SipText.bounded(callId),
        status, SipText.bounded(reason));
    sessions.apply(callId).tell(new ChatSessionCommand.ReInviteFailed(status,
        SipText.bounded(reason)));
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
    if (invite.filter(i -> !i.first()).isPresent()) {
      if (status >= 300) {
        reInviteFailed(callId, status, response.getReasonPhrase());
      } else {
        retryable.remove(callId);
      }
    }
    if (status / 100 == 2) {
      invite.ifPresent(i -> answeredInvites.remember(callId, i));
      ack(response, callId, invite.or(() -> answeredInvites.of(callId)).orElse(null));
    }
  }

  /** The gateway's INVITE got no final response in time (Timer B). */
  void timedOut(ClientTransaction tx) {
    String callId = SipText.value(tx.getRequest(), CallIdHeader.NAME);
    Optional<PendingInvite.Sent> invite = pending.ended(callId);
    if (invite.filter(i -> i.first() && !i.cancelled()).isPresent()) {
      sessions.apply(callId).tell(new ChatSessionCommand.OriginationOutcome(408,
          "No answer to the gateway's INVITE", null, null, null, List.of()));
    } else if (invite.filter(i -> !i.first()).isPresent()) {
      reInviteFailed(callId, 408, "No answer to the gateway's re-INVITE");
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
