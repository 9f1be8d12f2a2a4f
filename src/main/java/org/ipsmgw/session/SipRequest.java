package org.ipsmgw.session;

/**
 * An in-dialog request the session sends toward the CPM user, built by the SIP edge from the
 * stored dialog: remote target, route set, tags, and the CPM identifiers unchanged. BYE ends the
 * chat; INVITE (a re-INVITE) restores the media path after the chat moved to another node.
 *
 * @param msrpSessionId the chat's MSRP session id, for the SDP offer of a re-INVITE; else null
 */
public record SipRequest(String sessionId, String method, InviteContext dialog, String localTag,
    CpmIdentifiers ids, String msrpSessionId) {}
