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
   * Sets a session's keys in the MDC of this thread until closed (edges that log on their own
   * threads: JAIN-SIP listener, jsmpp callbacks, streams); a null value leaves its key unset
   * meanwhile. Closing puts back what the thread had, so a scope opened inside an entity's
   * message (a port call) leaves that entity's own MDC as it found it.
   *
   * @param callId the SIP Call-ID (a chat's session id is its Call-ID); null for a pager
   *     conversation, whose MESSAGEs each have their own
   */
  public static Scope session(String sessionId, String callId, String smsUser) {
    return new Scope(sessionId, callId, smsUser);
  }

  /** The keys {@link #session} set, restored to their earlier values on close. */
  public static final class Scope implements AutoCloseable {
    private final String previousSession = MDC.get(SESSION_ID);
    private final String previousCall = MDC.get(CALL_ID);
    private final String previousUser = MDC.get(SMS_USER);

    private Scope(String sessionId, String callId, String smsUser) {
      set(SESSION_ID, sessionId);
      set(CALL_ID, callId);
      set(SMS_USER, smsUser);
    }

    private static void set(String key, String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }

    @Override
    public void close() {
      set(SESSION_ID, previousSession);
      set(CALL_ID, previousCall);
      set(SMS_USER, previousUser);
    }
  }
}
