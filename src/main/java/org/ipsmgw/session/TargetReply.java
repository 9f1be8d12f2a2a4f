package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/** The answer to a re-INVITE's target refresh: what the 200 to it carries. */
public sealed interface TargetReply extends CborSerializable permits TargetReply.Refreshed,
    Refusal {

  /**
   * The new remote target is persisted; the 200 has the chat's identifiers, its To tag, and
   * offers the chat's MSRP session on this node.
   */
  record Refreshed(CpmIdentifiers ids, String localTag, String msrpSessionId)
      implements TargetReply {}
}
