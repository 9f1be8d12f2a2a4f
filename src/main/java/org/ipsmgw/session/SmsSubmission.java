package org.ipsmgw.session;

/**
 * An SMS to submit to the SMSC. The SMPP edge encodes and segments it and answers the session
 * with SmsSubmitted (the SMSC ids of the parts) or SmsSubmitFailed, quoting {@code messageRef}.
 *
 * @param source the correlation number, the SMS user's reply address
 * @param destination the SMS user's number
 */
public record SmsSubmission(String sessionId, String messageRef, String source,
    String destination, String text, ReceiptRequest receipt) {}
