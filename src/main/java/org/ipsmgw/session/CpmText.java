package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * One chat message from the CPM user, as a batch of them carries it ({@link
 * ChatSessionCommand.CpmMessages}).
 *
 * @param failureReport the sender wants a failure REPORT if the SMS fails later
 */
public record CpmText(String msrpMessageId, String imdnMessageId, String text,
    ReceiptRequest receipt, boolean failureReport) implements CborSerializable {}
