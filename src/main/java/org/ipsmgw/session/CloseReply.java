package org.ipsmgw.session;

import org.ipsmgw.CborSerializable;

/** The answer to BYE or CANCEL: the chat is closed, with the identifiers its 200 carries. */
public sealed interface CloseReply extends CborSerializable permits CloseReply.Closed, Refusal {

  /** Persisted as ended (or was already, for a repeated CANCEL); {@code ids} exactly as stored. */
  record Closed(CpmIdentifiers ids) implements CloseReply {}
}
