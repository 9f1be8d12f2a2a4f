package org.ipsmgw.policy;

/**
 * What an SMS to a CPM user's number becomes when no chat and no earlier pager conversation
 * links the two (policy key {@code sms-originated}).
 */
public enum SmsOriginatedHandling {
  /** A CPM standalone message (SIP MESSAGE) with new CPM identifiers. */
  PAGER,
  /** A chat: the gateway INVITEs the CPM user; the SMS is the first message once it accepts. */
  CHAT,
  /** Acknowledged to the SMSC and dropped, with an INFO line. */
  DROP
}
