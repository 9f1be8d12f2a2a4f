package org.ipsmgw.session;

import java.util.List;
import java.util.Set;
import org.ipsmgw.CborSerializable;

/**
 * Translation state of one message of a chat.
 *
 * @param ref the gateway's reference, unique within the session
 * @param msrpMessageId MSRP Message-ID (CPM side), or null for gateway texts
 * @param imdnMessageId CPIM imdn.Message-ID, or null
 * @param text the text, kept until the outbound edge has confirmed it, then dropped
 * @param smscIds SMSC message ids of the parts, in part order
 * @param deliveredParts SMSC ids whose delivery receipt said delivered
 * @param failureReport the MSRP sender wants a failure REPORT if the SMS fails after its 200
 *     (Failure-Report yes or partial, RFC 4975 §7.1.4)
 */
public record MessageRecord(String ref, Direction direction, String msrpMessageId,
    String imdnMessageId, String text, ReceiptRequest receipt, MessageStatus status,
    List<String> smscIds, Set<String> deliveredParts, boolean failureReport)
    implements CborSerializable {

  public MessageRecord {
    smscIds = List.copyOf(smscIds);
    deliveredParts = Set.copyOf(deliveredParts);
  }

  static MessageRecord pending(String ref, Direction direction, String msrpMessageId,
      String imdnMessageId, String text, ReceiptRequest receipt) {
    return pending(ref, direction, msrpMessageId, imdnMessageId, text, receipt, false);
  }

  static MessageRecord pending(String ref, Direction direction, String msrpMessageId,
      String imdnMessageId, String text, ReceiptRequest receipt, boolean failureReport) {
    return new MessageRecord(ref, direction, msrpMessageId, imdnMessageId, text, receipt,
        MessageStatus.PENDING, List.of(), Set.of(), failureReport);
  }

  /**
   * The receipts to ask of the SMSC: what the IMDN request needs, and at least failures when a
   * failure REPORT is owed.
   */
  public ReceiptRequest registered() {
    return receipt == ReceiptRequest.NONE && failureReport ? ReceiptRequest.FAILURE_ONLY : receipt;
  }

  /** An SMS whose receipts the SMSC sends only if it fails. */
  boolean asksFailuresOnly() {
    return direction == Direction.TO_SMS && registered() == ReceiptRequest.FAILURE_ONLY;
  }

  /** Accepted by the SMSC and asking failure receipts only: delivered, it is never heard of. */
  boolean awaitsFailureOnly() {
    return status == MessageStatus.SUBMITTED && asksFailuresOnly();
  }

  MessageRecord submitted(List<String> ids) {
    return new MessageRecord(ref, direction, msrpMessageId, imdnMessageId, null, receipt,
        MessageStatus.SUBMITTED, ids, deliveredParts, failureReport);
  }

  MessageRecord failed() {
    return new MessageRecord(ref, direction, msrpMessageId, imdnMessageId, null, receipt,
        MessageStatus.FAILED, smscIds, deliveredParts, failureReport);
  }

  /** Applies one part's receipt: delivered only when every part is, failed as soon as one fails. */
  MessageRecord receipt(String smscId, boolean delivered) {
    if (!delivered) {
      return failed();
    }
    Set<String> parts = new java.util.HashSet<>(deliveredParts);
    parts.add(smscId);
    MessageStatus next = parts.containsAll(smscIds) ? MessageStatus.DELIVERED : status;
    return new MessageRecord(ref, direction, msrpMessageId, imdnMessageId, text, receipt, next,
        smscIds, parts, failureReport);
  }
}
