package org.ipsmgw.msrp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipsmgw.msrp.Bindings.Binding;

/**
 * A connection's chat messages on their way to their chats, one batch per chat at a time: a
 * message that comes while its chat is storing the batch before it waits here, and all that
 * waited go together next (at most {@code maxBatch}), so a burst costs the chat one journal
 * write instead of one each, and the chat's order is the order the SENDs came in.
 */
final class ChatSends {
  /** A complete chat message whose SEND is answered once its chat has stored it. */
  record Waiting(MsrpFrame send, Binding binding, MessageAssembler.Complete message,
      InboundMessage.ChatText text) {}

  private final int maxBatch;
  /** Per chat (Call-ID) with a batch out: what waits behind it; absent when none is out. */
  private final Map<String, List<Waiting>> waiting = new HashMap<>();

  ChatSends(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch " + maxBatch + " < 1");
    }
    this.maxBatch = maxBatch;
  }

  /** The batch to send its chat now ({@code w} alone), or empty when {@code w} waits. */
  List<Waiting> offer(String callId, Waiting w) {
    List<Waiting> behind = waiting.get(callId);
    if (behind != null) {
      behind.add(w);
      return List.of();
    }
    waiting.put(callId, new ArrayList<>());
    return List.of(w);
  }

  /** The chat answered its batch: the next one, or empty (then no batch is out any more). */
  List<Waiting> answered(String callId) {
    List<Waiting> behind = waiting.get(callId);
    if (behind == null || behind.isEmpty()) {
      waiting.remove(callId);
      return List.of();
    }
    List<Waiting> next = new ArrayList<>(behind.subList(0, Math.min(maxBatch, behind.size())));
    behind.subList(0, next.size()).clear();
    return next;
  }
}
