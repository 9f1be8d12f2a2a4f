package org.ipsmgw;

import org.slf4j.MDC;

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

  /**
   * Puts a session's keys into the MDC of this thread until closed (edges that log on their own
   * threads: JAIN-SIP listener, jsmpp callbacks). A null value leaves its key out.
   *
   * @param callId the chat's Call-ID (a chat's session id is its Call-ID); null for a pager
   *     conversation, whose MESSAGEs each have their own
   */
  public static Scope session(String sessionId, String callId, String smsUser) {
    return new Scope(sessionId, callId, smsUser);
  }

  /** The keys {@link #session} put, removed again on close. */
  public static final class Scope implements AutoCloseable {
    private Scope(String sessionId, String callId, String smsUser) {
      put(SESSION_ID, sessionId);
      put(CALL_ID, callId);
      put(SMS_USER, smsUser);
    }

    private static void put(String key, String value) {
      if (value != null) {
        MDC.put(key, value);
      }
    }

    @Override
    public void close() {
      MDC.remove(SESSION_ID);
      MDC.remove(CALL_ID);
      MDC.remove(SMS_USER);
    }
  }
}
