package org.ipsmgw.policy;

import org.ipsmgw.CborSerializable;

/** The answer to a policy update. */
public sealed interface PolicyReply extends CborSerializable {

  /** Stored; every node applies it. */
  record Updated(PolicyOverlay overlay) implements PolicyReply {}

  /** Not stored; {@code reason} says which key or value was refused. */
  record Refused(String reason) implements PolicyReply {}
}
