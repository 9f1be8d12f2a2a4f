package org.ipsmgw.session;

import java.time.Instant;

/**
 * A final state: REJECTED, EXPIRED, CANCELLED or CLOSED (see {@link Outcome}). The final SIP
 * response was sent exactly once on the way in; nothing here sends another. Final but for one
 * case: a 503 refusal, whose INVITE sent again starts the decision again.
 *
 * @param correlationMsisdn the released correlation number, or null when none was reserved
 * @param status the final SIP response to the INVITE for REJECTED/EXPIRED/CANCELLED, 200 for CLOSED
 * @param cause why a CLOSED chat ended, or {@link EndCause#SMS_CANCEL} for the gateway's own
 *     INVITE it cancelled; null otherwise
 */
public record Ended(Invitation invitation, String localTag, String correlationMsisdn,
    Outcome outcome, int status, String reason, EndCause cause, Instant at, Translation translation)
    implements InvitedState {

  @Override
  public String stateName() {
    return outcome.name();
  }

  /** Refused 503 before any dialog: the same INVITE sent again is decided afresh. */
  public boolean refusedForNow() {
    return outcome == Outcome.REJECTED && status == 503;
  }

  @Override
  public ChatSessionState apply(ChatSessionEvent event) {
    if (event instanceof ChatSessionEvent.InvitationReceived e && refusedForNow()) {
      return new Deciding(e.invitation(), e.localTag());
    }
    throw unexpected(event);
  }
}
