package org.ipsmgw.sms;

import org.ipsmgw.subscriber.MoPart;

/** An MO SMS part as read from a deliver_sm: who sent it, to which number, and the part. */
public record IncomingMo(String sender, String recipient, MoPart part) {}
