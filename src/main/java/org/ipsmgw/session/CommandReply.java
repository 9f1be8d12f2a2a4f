package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/**
 * A session's answer to an edge's command that needs nothing back but yes or no.
 * {@code Accepted} comes only after what the command changed is persisted, so an edge
 * acknowledges its peer (MSRP 200, deliver_sm_resp) on it.
 */
public sealed interface CommandReply extends CborSerializable permits CommandReply.Accepted,
    Refusal {
  record Accepted() implements CommandReply {}
}
