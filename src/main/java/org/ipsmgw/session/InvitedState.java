package org.ipsmgw.session;

/** Every state after the INVITE: it has the invitation and the gateway's To tag. */
public sealed interface InvitedState extends ChatSessionState
    permits Deciding, AwaitingReply, Originating, Active, Ended {

  Invitation invitation();

  String localTag();

  /** The correlation number, or null before one is reserved (or when none was). */
  default String correlationMsisdn() {
    return null;
  }
}
