package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.pager.PagerReply;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;

/**
 * How handing a whole MO to its chat or pager conversation ended, which decides its
 * acknowledgement to the SMSC. Only the subscriber tells it to itself ({@link
 * SmsSubscriberCommand.MoHandedOver}); it never crosses nodes.
 */
public sealed interface Handover extends CborSerializable {

  /** Persisted by the chat or conversation: the MO is durable. */
  record Taken() implements Handover {}

  /** Refused for good (e.g. policy drops SMS-originated messages): acknowledged and dropped. */
  record Dropped(Refusal refusal) implements Handover {}

  /** No answer in time: the SMSC (or the assembly's timer) tries again. */
  record Unanswered(String reason) implements Handover {}

  /** A chat's answer to SmsFromUser or Originate, or the ask's failure. */
  static Handover of(CommandReply reply, Throwable failure) {
    if (failure != null) {
      return new Unanswered(String.valueOf(failure.getMessage()));
    }
    if (reply instanceof Refusal r) {
      // Late: the chat stored nothing; the SMSC's resend (or the assembly's timer) brings it
      // again.
      return r.status() == Refusal.LATE ? new Unanswered(r.reason()) : new Dropped(r);
    }
    return new Taken();
  }

  /** A pager conversation's answer to FromSms, or the ask's failure; StartChat is no outcome. */
  static Handover of(PagerReply reply, Throwable failure) {
    if (failure != null) {
      return new Unanswered(String.valueOf(failure.getMessage()));
    }
    if (reply instanceof PagerReply.Refused r) {
      return new Dropped(r.refusal());
    }
    if (reply instanceof PagerReply.Accepted) {
      return new Taken();
    }
    throw new IllegalArgumentException(reply + " opens a chat; it ends no hand-over");
  }
}
