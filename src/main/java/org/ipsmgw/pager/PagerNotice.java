package org.ipsmgw.pager;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.CpmIdentifiers;

/**
 * An IMDN MESSAGE the conversation owes the CPM sender, kept until the SIP side answered it, so
 * a node that dies between storing a receipt and that answer does not lose the notification:
 * the conversation sends it again, with the same reference, when it recovers.
 *
 * @param ref the MESSAGE's reference (the message's, with the kind): its SipAnswered names it
 * @param target the CPM sender's URI
 * @param kind {@link org.ipsmgw.cpim.Imdn.Kind} name
 * @param status the IMDN status, e.g. "delivered"
 */
public record PagerNotice(String ref, String target, String imdnMessageId, CpmIdentifiers ids,
    String kind, String status) implements CborSerializable {}
