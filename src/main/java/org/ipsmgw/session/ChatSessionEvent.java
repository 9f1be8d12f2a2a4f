package org.ipsmgw.session;

import java.time.Instant;
import java.util.List;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.DecisionSource;

/** Events of the ChatSession entity: everything a session must remember after a crash. */
public sealed interface ChatSessionEvent extends CborSerializable {

  /** The INVITE, with the To tag every response of this session will carry. */
  record InvitationReceived(Invitation invitation, String localTag) implements ChatSessionEvent {}

  /**
   * Accepted on the SMS user's behalf: 200 OK at once. {@code ackDeadline}: when the chat is
   * given up if the 200's ACK has not come (null in journals written before it existed).
   */
  record AcceptedOnBehalf(String correlationMsisdn, String msrpSessionId, DecisionSource source,
      Instant at, Instant ackDeadline) implements ChatSessionEvent {}

  /** The invitation became an SMS; the reply (or its absence) decides. */
  record InvitationSmsRequested(String correlationMsisdn, Instant replyDeadline,
      DecisionSource source, String text, Instant at) implements ChatSessionEvent {}

  /** The invitation is rejected with this final response (policy, decline, pool, SMSC). */
  record InvitationRejected(int status, String reason, Instant at) implements ChatSessionEvent {}

  /**
   * The SMS user's reply accepted; {@code firstMessage} is the reply when it was chat text;
   * {@code ackDeadline} as in {@link AcceptedOnBehalf}.
   */
  record ReplyAccepted(String msrpSessionId, String firstMessage, Instant at,
      Instant ackDeadline) implements ChatSessionEvent {}

  /** A reply that was neither accept nor decline; the user is asked again. */
  record ReplyNotUnderstood(Instant at) implements ChatSessionEvent {}

  record InvitationExpired(int status, Instant at) implements ChatSessionEvent {}

  record InvitationCancelled(Instant at) implements ChatSessionEvent {}

  record DialogConfirmed(Instant at) implements ChatSessionEvent {}

  /** A re-INVITE from the CPM side moved the dialog's remote target (RFC 3261 §12.2.2). */
  record TargetRefreshed(String remoteTarget, Instant at) implements ChatSessionEvent {}

  /** A CPM message accepted for SMS delivery; MSRP 200 is sent after this is persisted. */
  record CpmMessageAccepted(String messageRef, String msrpMessageId, String imdnMessageId,
      String text, ReceiptRequest receipt, boolean failureReport, Instant at)
      implements ChatSessionEvent {}

  /** An SMS from the SMS user accepted for MSRP delivery; deliver_sm_resp follows this. */
  record SmsMessageAccepted(String messageRef, String text, Instant receivedAt, Instant at,
      String handoverId) implements ChatSessionEvent {

    public SmsMessageAccepted(String messageRef, String text, Instant receivedAt, Instant at) {
      this(messageRef, text, receivedAt, at, null);
    }
  }

  /** The MSRP edge has handed an SMS user's message to the CPM side. */
  record MsrpHandedOver(String messageRef, Instant at) implements ChatSessionEvent {}

  record SmsSubmitted(String messageRef, List<String> smscIds, Instant at)
      implements ChatSessionEvent {}

  record SmsSubmitFailed(String messageRef, String reason, Instant at) implements ChatSessionEvent {}

  record DeliveryReported(String messageRef, String smscId, boolean delivered, Instant at)
      implements ChatSessionEvent {}

  /**
   * The chat no longer waits for the failure receipts of these SMS: accepted by the SMSC, they
   * asked it for failure receipts only, and they are the oldest beyond
   * {@code ipsmgw.session.failure-receipts-awaited}. Decided when written, so a replay with
   * another setting gives the same state.
   */
  record FailureReceiptsForgotten(List<String> messageRefs, Instant at)
      implements ChatSessionEvent {}

  record SessionEnded(EndCause cause, Instant at) implements ChatSessionEvent {}

  /**
   * An SMS to a CPM user's number with no conversation opens a chat: the gateway invites the CPM
   * user. {@code invitation} is the gateway's own INVITE; {@code firstMessage} the SMS.
   */
  record ChatOriginated(Invitation invitation, String localTag, String correlationMsisdn,
      String msrpSessionId, String firstMessage, Instant at) implements ChatSessionEvent {}

  /** The CPM user accepted the gateway's INVITE (2xx; the gateway sent the ACK). */
  record OriginationAnswered(String remoteParty, String remoteTag, String remoteTarget,
      List<String> routeSet, Instant at) implements ChatSessionEvent {}

  /** The CPM user, or the network, refused the gateway's INVITE (or it timed out). */
  record OriginationFailed(int status, String reason, Instant at) implements ChatSessionEvent {}

  /**
   * The SMS user sent the stop keyword before the CPM user answered: the gateway cancels its own
   * INVITE. A 2xx that crosses the CANCEL then gets a BYE.
   */
  record OriginationCancelled(Instant at) implements ChatSessionEvent {}
}
