package org.ipsmgw;

/**
 * The MDC keys every log line of a chat, pager conversation or SMS user carries, so an operator
 * can follow one session through the SIP, MSRP, SMPP edges and the entities with a filter rather
 * than a text search. Values are what the gateway stored or admitted (bounded by then), never
 * message text.
 */
public final class LogContext {
  /** The SIP Call-ID of the request or dialog being handled. */
  public static final String CALL_ID = "callId";
  /** The chat session (its Call-ID) or pager conversation the line is about. */
  public static final String SESSION_ID = "sessionId";
  /** The SMS user's E.164 number. */
  public static final String SMS_USER = "smsUser";

  private LogContext() {}
}
