package org.ipsmgw.session;

/**
 * An in-dialog request the session sends toward the CPM user (BYE), built by the SIP edge from the
 * stored dialog: remote target, route set, tags, and the CPM identifiers unchanged.
 */
public record SipRequest(String sessionId, String method, InviteContext dialog, String localTag,
    CpmIdentifiers ids) {}
