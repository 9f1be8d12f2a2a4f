package org.ipsmgw.session;

import java.time.Instant;

/**
 * A message from the SMS user for the CPM user; the MSRP edge wraps it in CPIM (From
 * {@code <tel:fromMsisdn>}, DateTime {@code sentAt}) with {@code messageId} as its MSRP
 * Message-ID and imdn.Message-ID, the same every time the message is sent
 * ({@link ResendableId}).
 */
public record MsrpMessage(String sessionId, String msrpSessionId, String messageRef,
    String fromMsisdn, String text, Instant sentAt, CpmIdentifiers ids, String messageId) {}
