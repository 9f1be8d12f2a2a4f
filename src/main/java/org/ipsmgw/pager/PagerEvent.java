package org.ipsmgw.pager;

import java.time.Instant;
import java.util.List;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.ReceiptRequest;

/** Events of a {@link PagerConversation}. */
public sealed interface PagerEvent extends CborSerializable {

  /** A CPM user's standalone message, stored before 202 and before it becomes SMS. */
  record CpmMessageStored(String messageRef, String cpmIdentity, CpmIdentifiers ids, String text,
      String imdnMessageId, ReceiptRequest receipt, Instant at) implements PagerEvent {}

  /** An SMS user's text, stored before the MO is acknowledged and before the MESSAGE goes out. */
  record SmsMessageStored(String messageRef, String target, CpmIdentifiers ids, String text,
      String imdnMessageId, Instant receivedAt, Instant at) implements PagerEvent {}

  record SmsSubmitted(String messageRef, List<String> smscIds, Instant at) implements PagerEvent {}

  record SmsSubmitFailed(String messageRef, String reason, Instant at) implements PagerEvent {}

  record DeliveryReported(String messageRef, String smscId, boolean delivered, Instant at)
      implements PagerEvent {}

  /**
   * No longer waits for the failure receipts of these SMS, the oldest of those that asked the
   * SMSC for failure receipts only beyond {@code ipsmgw.session.failure-receipts-awaited}.
   */
  record FailureReceiptsForgotten(List<String> messageRefs, Instant at) implements PagerEvent {}

  /** The MESSAGE to the CPM user got its final response. */
  record SipAnswered(String messageRef, int status, Instant at) implements PagerEvent {}

  /**
   * An IMDN MESSAGE is owed, stored in the same write as what decided it (the message, its
   * receipt or its failure), so a crash before its answer leaves it owed.
   */
  record NoticeOwed(PagerNotice notice, Instant at) implements PagerEvent {}

  /** Recovery found the notice unanswered and sends it once more, counted. */
  record NoticeResent(String ref, Instant at) implements PagerEvent {}

  /** Sent again {@code notice-resends} times and still unanswered: no longer owed. */
  record NoticeDropped(String ref, Instant at) implements PagerEvent {}
}
