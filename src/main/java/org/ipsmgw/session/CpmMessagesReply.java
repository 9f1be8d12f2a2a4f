package org.ipsmgw.session;

import java.util.List;
import org.ipsmgw.CborSerializable;

/**
 * The chat's answer to a batch of CPM messages: one outcome per message, in the batch's order,
 * sent once every message it accepted is persisted; or one {@link Refusal} for the whole batch
 * (no chat in a state that takes messages).
 */
public sealed interface CpmMessagesReply extends CborSerializable
    permits CpmMessagesReply.Each, Refusal {

  /** What became of the {@code i}-th message of the batch: its own outcome, or the refusal. */
  default Outcome outcome(int i) {
    return this instanceof Each each ? each.outcomes().get(i)
        : new Outcome(((Refusal) this).status(), ((Refusal) this).reason());
  }

  /** One outcome per message of the batch, in its order. */
  record Each(List<Outcome> outcomes) implements CpmMessagesReply {
    public Each {
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * A message's outcome: {@code status} 200 when it is stored (or was already), else the
   * refusal's status and reason. A plain record, so the list needs no type information on the wire.
   */
  record Outcome(int status, String reason) implements CborSerializable {
    public static final Outcome ACCEPTED = new Outcome(200, "OK");

    public boolean accepted() {
      return status == 200;
    }

    /** As the single-message reply family has it. */
    public CommandReply asCommandReply() {
      return accepted() ? SessionContext.ACCEPTED : new Refusal(status, reason);
    }
  }
}
