package org.ipsmgw.session;

import java.util.Optional;
import org.ipsmgw.subscriber.Msisdn;

/** Whether an INVITE's invitation can open a chat under this session id, and if not, why. */
final class InvitationCheck {
  private InvitationCheck() {}

  /** The refusal for the INVITE (400 bad input, 404 no SMS user), or empty to go on. */
  static Optional<Refusal> problem(String sessionId, Invitation inv) {
    if (!sessionId.equals(inv.sessionId())) {
      return bad("Call-ID does not match the session");
    }
    String missing = inv.ids() == null ? "Conversation-ID" : inv.ids().firstMissing();
    if (missing != null) {
      return bad("Missing " + missing);
    }
    if (inv.parties() == null || Msisdn.normalise(inv.parties().smsMsisdn()).isEmpty()) {
      return Optional.of(new Refusal(404, "Not an SMS user: "
          + (inv.parties() == null ? null : inv.parties().smsMsisdn())));
    }
    String cpm = inv.parties().cpmMsisdn();
    if (cpm != null && Msisdn.normalise(cpm).isEmpty()) {
      return bad("CPM user's number is not E.164: " + cpm);
    }
    if (inv.sip() == null) {
      return bad("Missing SIP dialog data");
    }
    return Optional.empty();
  }

  /** The invitation with both numbers in E.164 form, as the chat stores it. */
  static Invitation withCanonicalNumbers(Invitation inv) {
    Parties p = inv.parties();
    String cpm = p.cpmMsisdn() == null ? null : Msisdn.require(p.cpmMsisdn());
    Parties canonical = new Parties(p.cpmIdentity(), cpm, p.cpmDisplayName(),
        Msisdn.require(p.smsMsisdn()));
    return new Invitation(inv.sessionId(), inv.ids(), canonical, inv.sip(), inv.sdpOffer(),
        inv.anonymous(), inv.receivedAt());
  }

  private static Optional<Refusal> bad(String reason) {
    return Optional.of(new Refusal(400, reason));
  }
}
