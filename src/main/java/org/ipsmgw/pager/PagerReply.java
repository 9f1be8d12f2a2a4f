package org.ipsmgw.pager;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.Refusal;

/** A pager conversation's answer to an SMS toward it ({@link PagerCommand.FromSms}). */
public sealed interface PagerReply extends CborSerializable {

  /** Stored: the MESSAGE to the CPM user is on its way, and the MO may be acknowledged. */
  record Accepted() implements PagerReply {}

  /** Not taken, and never will be (policy drops it): the MO is acknowledged and dropped. */
  record Refused(Refusal refusal) implements PagerReply {}

  /**
   * No conversation, and policy wants a chat ({@code sms-originated = CHAT}): the SmsSubscriber
   * opens one, since it owns the correlation numbers a chat needs.
   */
  record StartChat() implements PagerReply {}
}
