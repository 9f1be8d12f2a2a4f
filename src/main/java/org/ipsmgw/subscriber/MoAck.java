package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;

/**
 * The answer to an MO SMS part: {@code accepted} means it is durable (stored, or persisted by its
 * chat) and the SMSC may be told so; otherwise the SMSC should retry it later.
 */
public record MoAck(boolean accepted, String reason) implements CborSerializable {
  public static final MoAck ACCEPTED = new MoAck(true, "");

  public static MoAck retry(String reason) {
    return new MoAck(false, reason);
  }
}
