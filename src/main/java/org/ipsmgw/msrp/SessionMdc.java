package org.ipsmgw.msrp;

import java.util.Map;
import org.ipsmgw.LogContext;

/**
 * The MDC of a line about a chat: its Call-ID is both the session id and the Call-ID. Only for
 * a chat that admitted the path (a bound session, or a chat's own message), never for an id a
 * peer merely named.
 */
final class SessionMdc {
  private SessionMdc() {}

  static Map<String, String> of(String callId) {
    return Map.of(LogContext.SESSION_ID, callId, LogContext.CALL_ID, callId);
  }

  /** Runs {@code work} with the chat's ids in the MDC, removing them after. */
  static void run(String callId, Runnable work) {
    try (var scope = LogContext.session(callId, callId, null)) {
      work.run();
    }
  }
}
