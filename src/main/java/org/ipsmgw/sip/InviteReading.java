package org.ipsmgw.sip;

import org.ipsmgw.session.Invitation;

/** What an incoming INVITE amounts to: a chat invitation, or a final error for it. */
public sealed interface InviteReading {
  /**
   * @param setup the offer's a=setup (active when absent)
   * @param path the offer's a=path, where the gateway connects when the offer is passive
   */
  record Chat(Invitation invitation, String setup, String path, boolean idsGenerated)
      implements InviteReading {}

  record Refuse(int status, String reason) implements InviteReading {}
}
