package org.ipsmgw.sip;

import java.util.Locale;
import java.util.Optional;
import javax.sip.message.Response;
import org.ipsmgw.msrp.MsrpMedia;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chats' responses to the CPM side's INVITEs. A response goes out on the INVITE's server
 * transaction when this node received the INVITE, else statelessly from what the chat stored, so
 * any node can answer a pending INVITE. A 200 carries this node's SDP answer; over UDP it is
 * resent until its ACK; toward a passive offer this node then connects the media.
 */
final class InviteAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(InviteAnswers.class);

  private final Transactions transactions;
  private final SipResponses responses;
  private final PendingInvites pending;
  private final SdpBuilder sdp;
  private final MsrpMedia msrp;
  private final OkRetransmitter retransmitter;

  InviteAnswers(Transactions transactions, SipResponses responses, PendingInvites pending,
      SdpBuilder sdp, MsrpMedia msrp, OkRetransmitter retransmitter) {
    this.transactions = transactions;
    this.responses = responses;
    this.pending = pending;
    this.sdp = sdp;
    this.msrp = msrp;
    this.retransmitter = retransmitter;
  }

  void respond(SipResponse r) {
    try {
      Optional<PendingInvite.Received> held = pending.received(r.sessionId());
      String answer = null;
      if (r.status() == Response.OK && r.msrpSessionId() != null) {
        answer = sdp.answer(msrp.pathUri(r.sessionId(), r.msrpSessionId()), r.msrpSessionId(),
            held.map(PendingInvite.Received::offeredSetup).orElse("actpass"));
      }
      Response response = responses.toInvite(r,
          held.map(h -> h.transaction().getRequest()).orElse(null), answer);
      if (held.isPresent()) {
        transactions.respondIn(held.get().transaction(), response);
      } else {
        transactions.respondStateless(response);
      }
      if (r.status() / 100 == 2 && overUdp(r.invite())) {
        retransmitter.start(r.sessionId(), () -> transactions.resend(response));
      }
      if (r.isFinal()) {
        pending.answered(r.sessionId());
        if (r.status() == Response.OK && held.isPresent()
            && "passive".equals(held.get().offeredSetup()) && held.get().offeredPath() != null) {
          msrp.connect(held.get().offeredPath(), r.sessionId(), r.msrpSessionId());
        }
      }
      LOG.info("[session {}] SIP {} {}", r.sessionId(), r.status(), SipText.bounded(r.reason()));
    } catch (Exception e) {
      LOG.warn("[session {}] SIP {} not sent: {}", r.sessionId(), r.status(),
          SipText.reason(e));
    }
  }

  private static boolean overUdp(InviteContext invite) {
    return !invite.via().isEmpty()
        && invite.via().get(0).toUpperCase(Locale.ROOT).contains("/UDP");
  }
}
