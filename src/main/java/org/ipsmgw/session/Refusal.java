package org.ipsmgw.session;

/**
 * A command changed nothing. {@code status} is the protocol status the edge answers with when it
 * answers with a code (SIP/MSRP: 400 bad input, 404 unknown user, 481 no such session or nothing
 * to cancel, 488/415 as named); {@code reason} is for the peer's reason phrase and the log.
 */
public record Refusal(int status, String reason)
    implements CommandReply, CloseReply, TargetReply, BindReply, CpmMessagesReply {

  /**
   * An SMS reached its chat after the SMPP edge had answered the SMSC "retry": the chat stored
   * nothing, and the sender treats it as not yet taken (the SMSC sends it again).
   */
  public static final int LATE = 408;

  /** No chat is in a state that takes this command. */
  public static Refusal noSuchSession(String reason) {
    return new Refusal(481, reason);
  }
}
