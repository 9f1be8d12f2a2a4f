package org.ipsmgw.sip;

import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.ReceiptRequest;

/** What an incoming SIP MESSAGE amounts to. */
public sealed interface MessageReading {

  /** A CPM standalone message for an SMS user. */
  /**
   * @param cpmMsisdn the sender's number; null for an anonymous sender, whose number is never
   *     shown
   * @param interworking the sender asked for an interworking notification
   */
  record Pager(String cpmIdentity, String cpmMsisdn, String smsMsisdn, CpmIdentifiers ids,
      String text, String imdnMessageId, ReceiptRequest receipt, boolean interworking,
      boolean anonymous) implements MessageReading {}

  /** Nothing an SMS can carry (isComposing, an IMDN): answered 200 and dropped. */
  record Consumed(String what) implements MessageReading {}

  record Refuse(int status, String reason) implements MessageReading {}
}
