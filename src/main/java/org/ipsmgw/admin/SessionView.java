package org.ipsmgw.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ipsmgw.session.Active;
import org.ipsmgw.session.AwaitingReply;
import org.ipsmgw.session.Ended;
import org.ipsmgw.session.InvitedState;
import org.ipsmgw.session.Translation;

/**
 * A chat session as the admin API shows it: state, parties, the CPM identifiers exactly as stored,
 * and message counters. Absent values are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SessionView(String id, String state, String cpmIdentity, String cpmMsisdn,
    String smsMsisdn, String correlationMsisdn, String conversationId, String contributionId,
    String inReplyToContributionId, String invitedAt, String replyDeadline, String lastActivity,
    Counters messages, Final ended) {

  /** Chat messages each way (gateway texts such as the invitation SMS are not counted). */
  record Counters(int toSms, int toCpm, int delivered, int failed, int inFlight) {
    static Counters of(Translation t) {
      return new Counters(t.toSms(), t.toCpm(), t.delivered(), t.failed(), t.inFlight().size());
    }
  }

  /** How an ended session ended: the final response to the INVITE (200 for a closed chat). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Final(String at, int status, String reason, String cause) {}

  static SessionView of(InvitedState s) {
    var inv = s.invitation();
    var p = inv.parties();
    var ids = inv.ids();
    String deadline = s instanceof AwaitingReply a ? a.replyDeadline().toString() : null;
    String activity = s instanceof Active a ? a.lastActivity().toString() : null;
    Translation t = s instanceof Active a ? a.translation()
        : s instanceof AwaitingReply a ? a.translation()
        : s instanceof org.ipsmgw.session.Originating o ? o.translation()
        : s instanceof Ended e ? e.translation() : Translation.EMPTY;
    Final ended = s instanceof Ended e ? new Final(e.at().toString(), e.status(), e.reason(),
        e.cause() == null ? null : e.cause().name()) : null;
    return new SessionView(inv.sessionId(), s.stateName(), p.cpmIdentity(), p.cpmMsisdn(),
        p.smsMsisdn(), s.correlationMsisdn(), ids.conversationId(), ids.contributionId(),
        ids.inReplyToContributionId(), inv.receivedAt().toString(), deadline, activity,
        Counters.of(t), ended);
  }
}
