package org.ipsmgw.session;

/**
 * An IMDN delivery notification owed to the CPM user for one of its messages: delivered, or failed.
 * Only emitted when the sender asked for that outcome; never a "displayed".
 */
public record DeliveryNotice(String sessionId, String msrpSessionId, String imdnMessageId,
    boolean delivered, CpmIdentifiers ids) {}
