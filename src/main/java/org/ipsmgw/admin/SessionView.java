package org.ipsmgw.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ipsmgw.session.SessionSummary;

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
    static Counters of(SessionSummary.Counters c) {
      return new Counters(c.toSms(), c.toCpm(), c.delivered(), c.failed(), c.inFlight());
    }
  }

  /** How an ended session ended: the final response to the INVITE (200 for a closed chat). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Final(String at, int status, String reason, String cause) {}

  static SessionView of(SessionSummary s) {
    var ids = s.ids();
    var e = s.ended();
    Final ended = e == null ? null : new Final(e.at().toString(), e.status(), e.reason(),
        e.cause() == null ? null : e.cause().name());
    return new SessionView(s.id(), s.state(), s.cpmIdentity(), s.cpmMsisdn(), s.smsMsisdn(),
        s.correlationMsisdn(), ids.conversationId(), ids.contributionId(),
        ids.inReplyToContributionId(), s.invitedAt().toString(), text(s.replyDeadline()),
        text(s.lastActivity()), Counters.of(s.messages()), ended);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
