package org.ipsmgw.session;

import java.time.Instant;
import org.ipsmgw.CborSerializable;

/**
 * A chat as an operator sees it: state, parties, the CPM identifiers exactly as stored, and
 * message counters, without message texts. {@code invitedAt} is null for a session that was
 * never invited (state {@code NONE}); absent values are null.
 */
public record SessionSummary(String id, String state, String cpmIdentity, String cpmMsisdn,
    String smsMsisdn, String correlationMsisdn, CpmIdentifiers ids, Instant invitedAt,
    Instant replyDeadline, Instant lastActivity, Counters messages, Final ended)
    implements CborSerializable {

  /** Chat messages each way (gateway texts such as the invitation SMS are not counted). */
  public record Counters(int toSms, int toCpm, int delivered, int failed, int inFlight)
      implements CborSerializable {
    static Counters of(Translation t) {
      return new Counters(t.toSms(), t.toCpm(), t.delivered(), t.failed(), t.inFlight().size());
    }
  }

  /** How an ended session ended: the final response to the INVITE (200 for a closed chat). */
  public record Final(Instant at, int status, String reason, EndCause cause)
      implements CborSerializable {}

  public boolean exists() {
    return invitedAt != null;
  }

  static SessionSummary of(String sessionId, ChatSessionState state) {
    if (!(state instanceof InvitedState s)) {
      return new SessionSummary(sessionId, state.stateName(), null, null, null, null, null, null,
          null, null, null, null);
    }
    Invitation inv = s.invitation();
    Parties p = inv.parties();
    Instant deadline = s instanceof AwaitingReply a ? a.replyDeadline() : null;
    Instant activity = s instanceof Active a ? a.lastActivity() : null;
    Translation t = s instanceof Active a ? a.translation()
        : s instanceof AwaitingReply a ? a.translation()
        : s instanceof Originating o ? o.translation()
        : s instanceof Ended e ? e.translation() : Translation.EMPTY;
    Final ended = s instanceof Ended e ? new Final(e.at(), e.status(), e.reason(), e.cause())
        : null;
    return new SessionSummary(inv.sessionId(), s.stateName(), p.cpmIdentity(), p.cpmMsisdn(),
        p.smsMsisdn(), s.correlationMsisdn(), inv.ids(), inv.receivedAt(), deadline, activity,
        Counters.of(t), ended);
  }
}
