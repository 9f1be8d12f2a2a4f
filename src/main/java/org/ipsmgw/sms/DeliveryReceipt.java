package org.ipsmgw.sms;

import java.time.Instant;

/**
 * A delivery receipt as read from a deliver_sm.
 *
 * @param errorCode the err: field, or null
 * @param submitDate the submit date:, or null when absent or unreadable
 */
public record DeliveryReceipt(String smscMessageId, ReceiptState state, String errorCode,
    Instant submitDate, Instant doneDate) {}
