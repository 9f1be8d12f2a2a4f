package org.ipsmgw.sms;

import org.ipsmgw.LogContext;
import org.ipsmgw.pager.PagerKey;

/** The MDC of the SMPP edge's lines about one session's SMS, on jsmpp's and its own threads. */
final class SubmissionScope {
  private SubmissionScope() {}

  /** A chat's session id is its Call-ID; a pager conversation's is not a Call-ID. */
  static LogContext.Scope of(String sessionId, String smsUser) {
    return LogContext.session(sessionId, PagerKey.isPager(sessionId) ? null : sessionId, smsUser);
  }
}
