package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * A session's answer to an edge's command. {@code Accepted} comes only after what the command
 * changed is persisted, so an edge acknowledges its peer (MSRP 200, deliver_sm_resp) on it.
 */
public sealed interface CommandReply extends CborSerializable {
  record Accepted() implements CommandReply {}

  /**
   * Nothing was changed. {@code status} is the protocol status the edge should answer with when
   * it answers with a code (SIP/MSRP: 400 bad input, 404 unknown user, 481 no such session or
   * nothing to cancel, 488/415 as named).
   */
  record Refused(int status, String reason) implements CommandReply {}
}
