package org.ipsmgw.sip;

import org.ipsmgw.session.Invitation;

/** What an incoming INVITE amounts to: a chat invitation, or a final error for it. */
public sealed interface InviteReading {
  record Chat(Invitation invitation, String setup, boolean idsGenerated) implements InviteReading {}

  record Refuse(int status, String reason) implements InviteReading {}
}
