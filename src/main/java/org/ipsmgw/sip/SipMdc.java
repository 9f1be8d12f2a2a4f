package org.ipsmgw.sip;

import org.ipsmgw.LogContext;
import org.slf4j.MDC;

/**
 * The MDC of one piece of SIP handling: the Call-ID, and the chat's session id (a chat is stored
 * under its Call-ID). Closing restores what the thread had before, so a port call made from a
 * chat's actor leaves that actor's own MDC as it found it.
 */
final class SipMdc implements AutoCloseable {
  private final String previousCallId;
  private final String previousSessionId;

  private SipMdc(String callId, String sessionId) {
    previousCallId = MDC.get(LogContext.CALL_ID);
    previousSessionId = MDC.get(LogContext.SESSION_ID);
    put(LogContext.CALL_ID, callId);
    put(LogContext.SESSION_ID, sessionId);
  }

  /** A request, response or timeout of the chat with that Call-ID. */
  static SipMdc chat(String callId) {
    return new SipMdc(callId, callId);
  }

  /**
   * A request of no chat (MESSAGE, OPTIONS): its Call-ID only; the pager conversation it belongs
   * to is named once it is known.
   */
  static SipMdc call(String callId) {
    return new SipMdc(callId, null);
  }

  /** The pager conversation a MESSAGE belongs to, on top of its Call-ID. */
  static SipMdc pager(String callId, String conversationKey) {
    return new SipMdc(callId, conversationKey);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    put(LogContext.CALL_ID, previousCallId);
    put(LogContext.SESSION_ID, previousSessionId);
  }
}
