package org.ipsmgw.policy;

import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.CborSerializable;

/** Commands of the {@link PolicyStore} entity. */
public sealed interface PolicyCommand extends CborSerializable {

  /** Merge these policy keys (a JSON object) over the stored overlay, if the result is valid. */
  record Merge(String json, ActorRef<PolicyReply> replyTo) implements PolicyCommand {}

  record GetOverlay(ActorRef<PolicyOverlay> replyTo) implements PolicyCommand {}
}
