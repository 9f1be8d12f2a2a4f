package org.ipsmgw.pager;

import java.time.Instant;
import java.util.Locale;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.RandomIds;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.session.CpmIdentifiers;

/**
 * An IMDN MESSAGE (delivery or interworking notification) the conversation owes the CPM sender
 * about one of its messages, stored with the receipt, failure or message that decided it, and
 * owed until the SIP side's final response to it is stored. A notice recovery finds unanswered
 * (its node died before that response) is sent again, identical: the same imdn.Message-ID and
 * DateTime, so the CPM client shows it once (RFC 5438 §6.3).
 *
 * @param ref the MESSAGE's reference, the message's with the kind ({@code p1-delivery}): its
 *     {@link PagerCommand.SipAnswered} names it
 * @param target the CPM sender's URI
 * @param imdnMessageId the notification's own imdn.Message-ID, chosen once when it became owed
 * @param aboutMessageId the CPM message's imdn.Message-ID, which the notification reports on
 * @param ids the CPM message's identifiers, carried by the MESSAGE
 * @param at when it became owed: its DateTime on every sending
 * @param resends how often recovery sent it again
 */
public record PagerNotice(String ref, String target, String imdnMessageId, String aboutMessageId,
    CpmIdentifiers ids, Imdn.Kind kind, String status, Instant at, int resends)
    implements CborSerializable {

  /** What {@code m} owes its sender, with a new Message-ID; null when it had no Message-ID. */
  static PagerNotice about(PagerMessage m, String target, Imdn.Kind kind, String status,
      Instant at) {
    if (m.imdnMessageId() == null) {
      return null;
    }
    return new PagerNotice(m.ref() + "-" + kind.name().toLowerCase(Locale.ROOT), target,
        RandomIds.cpmId(), m.imdnMessageId(), m.ids(), kind, status, at, 0);
  }

  PagerNotice resent() {
    return new PagerNotice(ref, target, imdnMessageId, aboutMessageId, ids, kind, status, at,
        resends + 1);
  }
}
