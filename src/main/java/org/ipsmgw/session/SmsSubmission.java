package org.ipsmgw.session;

import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.pager.PagerCommand;

/**
 * An SMS to submit to the SMSC. The SMPP edge encodes and segments it and answers the session
 * with SmsSubmitted (the SMSC ids of the parts) or SmsSubmitFailed, quoting {@code messageRef}.
 *
 * @param source the correlation number, the SMS user's reply address
 * @param destination the SMS user's number
 * @param session the chat that submitted it, answered directly: a chat handing off waits for
 *     these answers, and sharding would hold them back until it has stopped (null: through
 *     sharding, by {@code sessionId})
 * @param pager the pager conversation that submitted it, answered directly for the same reason
 *     (null: through sharding)
 */
public record SmsSubmission(String sessionId, String messageRef, String source,
    String destination, String text, ReceiptRequest receipt,
    ActorRef<ChatSessionCommand> session, ActorRef<PagerCommand> pager) {

  public SmsSubmission(String sessionId, String messageRef, String source, String destination,
      String text, ReceiptRequest receipt) {
    this(sessionId, messageRef, source, destination, text, receipt, null, null);
  }

  public SmsSubmission(String sessionId, String messageRef, String source, String destination,
      String text, ReceiptRequest receipt, ActorRef<ChatSessionCommand> session) {
    this(sessionId, messageRef, source, destination, text, receipt, session, null);
  }
}
