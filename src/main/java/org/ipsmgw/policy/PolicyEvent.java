package org.ipsmgw.policy;

import java.time.Instant;
import org.ipsmgw.CborSerializable;

/** Events of the {@link PolicyStore} entity. */
public sealed interface PolicyEvent extends CborSerializable {

  /** The overlay after an accepted update. */
  record PolicyReplaced(String overlay, Instant at) implements PolicyEvent {}
}
