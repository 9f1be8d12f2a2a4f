package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * The two users of a chat.
 *
 * @param cpmIdentity the CPM user's public identity (P-Asserted-Identity, else From URI)
 * @param cpmMsisdn the CPM user's E.164 number, or null when its identity has none
 * @param cpmDisplayName display name for operator texts, or null
 * @param smsMsisdn the SMS user's E.164 number (the entity id of its SmsSubscriber)
 */
public record Parties(String cpmIdentity, String cpmMsisdn, String cpmDisplayName,
    String smsMsisdn) implements CborSerializable {}
