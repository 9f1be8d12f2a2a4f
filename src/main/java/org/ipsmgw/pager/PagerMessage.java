package org.ipsmgw.pager;

import java.util.List;
import java.util.Set;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.MessageStatus;
import org.ipsmgw.session.ReceiptRequest;

/**
 * One pager message still in flight.
 *
 * @param text kept until the outbound edge took it, so recovery can send it again
 * @param ids the message's CPM identifiers (a CPM message's as received; an SMS's as generated)
 * @param target where a message to the CPM side goes; null toward SMS
 */
public record PagerMessage(String ref, Direction direction, String text, String imdnMessageId,
    ReceiptRequest receipt, MessageStatus status, List<String> smscIds, Set<String> deliveredParts,
    CpmIdentifiers ids, String target) implements CborSerializable {

  public PagerMessage {
    smscIds = List.copyOf(smscIds);
    deliveredParts = Set.copyOf(deliveredParts);
  }

  static PagerMessage pending(String ref, Direction direction, String text, String imdnMessageId,
      ReceiptRequest receipt, CpmIdentifiers ids, String target) {
    return new PagerMessage(ref, direction, text, imdnMessageId, receipt, MessageStatus.PENDING,
        List.of(), Set.of(), ids, target);
  }

  PagerMessage submitted(List<String> ids) {
    return new PagerMessage(ref, direction, null, imdnMessageId, receipt, MessageStatus.SUBMITTED,
        ids, deliveredParts, this.ids, target);
  }

  /** Delivered once every part is, failed as soon as one part fails. */
  PagerMessage receipt(String smscId, boolean delivered) {
    if (!delivered) {
      return new PagerMessage(ref, direction, null, imdnMessageId, receipt, MessageStatus.FAILED,
          smscIds, deliveredParts, ids, target);
    }
    Set<String> parts = new java.util.HashSet<>(deliveredParts);
    parts.add(smscId);
    MessageStatus next = parts.containsAll(smscIds) ? MessageStatus.DELIVERED : status;
    return new PagerMessage(ref, direction, text, imdnMessageId, receipt, next, smscIds, parts, ids,
        target);
  }

  /** Nothing more can happen to it: no receipt is coming or the last one came. */
  boolean settled() {
    return status.isFinal() || status == MessageStatus.SUBMITTED && receipt == ReceiptRequest.NONE;
  }
}
