package org.ipsmgw.sip;

import org.ipsmgw.LogContext;

/**
 * The MDC of one piece of SIP handling: the Call-ID, and the chat's session id (a chat is stored
 * under its Call-ID). Closing restores what the thread had before, so a port call made from a
 * chat's actor leaves that actor's own MDC as it found it.
 */
final class SipMdc {
  private SipMdc() {}

  /** A request, response or timeout of the chat with that Call-ID. */
  static LogContext.Scope chat(String callId) {
    return LogContext.session(callId, callId, null);
  }

  /**
   * A request of no chat (MESSAGE, OPTIONS): its Call-ID only; the pager conversation it belongs
   * to is named once it is known.
   */
  static LogContext.Scope call(String callId) {
    return LogContext.session(null, callId, null);
  }

  /** The pager conversation a MESSAGE belongs to, on top of its Call-ID. */
  static LogContext.Scope pager(String callId, String conversationKey) {
    return LogContext.session(conversationKey, callId, null);
  }
}
