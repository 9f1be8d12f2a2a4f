package org.ipsmgw.session;

import java.util.Optional;
import org.ipsmgw.CborSerializable;

/**
 * A notice the chat owes the CPM user about one of its messages, kept in the chat's state from
 * the receipt (or refusal) that decided the message's fate until the MSRP connection confirms it
 * ({@link ChatSessionEvent.MsrpHandedOver}), so a receipt that comes while no connection is
 * attached, or whose notice is lost with a connection, is sent again.
 *
 * @param ref the CPM user's message
 * @param imdnMessageId its imdn.Message-ID when an IMDN is owed, else null
 * @param msrpMessageId its MSRP Message-ID when a failure REPORT is owed, else null
 * @param after the chat's next message number when the notice became owed: it goes to the CPM
 *     user after the chat's messages numbered below this, and before the later ones
 */
public record OwedNotice(String ref, String imdnMessageId, String msrpMessageId,
    boolean delivered, int after) implements CborSerializable {

  /** What a message whose fate is now known owes its sender, if it asked for anything. */
  static Optional<OwedNotice> of(MessageRecord m, int after) {
    if (m.direction() != Direction.TO_SMS || !m.status().isFinal()) {
      return Optional.empty();
    }
    boolean delivered = m.status() == MessageStatus.DELIVERED;
    String imdn = m.imdnMessageId() != null && m.receipt().wants(delivered)
        ? m.imdnMessageId() : null;
    String report = !delivered && m.failureReport() ? m.msrpMessageId() : null;
    return imdn == null && report == null ? Optional.empty()
        : Optional.of(new OwedNotice(m.ref(), imdn, report, delivered, after));
  }
}
