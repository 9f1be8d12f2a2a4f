package org.ipsmgw.session;

/**
 * What the CPM user is owed about one of its messages: an IMDN delivery notification (delivered
 * or failed; never "displayed") and/or an MSRP failure REPORT. Only what the sender asked for.
 *
 * @param imdnMessageId the message's imdn.Message-ID when an IMDN is owed, else null
 * @param msrpMessageId the message's MSRP Message-ID when a failure REPORT is owed, else null
 * @param messageRef the chat's reference of the message, which the connection confirms
 * @param noticeId the IMDN's own Message-ID, the same on every resend ({@link ResendableId})
 */
public record DeliveryNotice(String sessionId, String msrpSessionId, String imdnMessageId,
    String msrpMessageId, boolean delivered, CpmIdentifiers ids, String messageRef,
    String noticeId) {}
