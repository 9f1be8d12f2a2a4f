package org.ipsmgw.msrp;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * The frames toward the peer: a bounded queue the connection's TCP stream drains. A full queue
 * means the peer does not read; nothing waits for it in memory. The queue is materialized with
 * the connection's stream, after its actor exists (one stream per connection, not a second one
 * for the queue), and handed over with {@link #attach}; what is written before that waits here,
 * within the same bound.
 */
final class PeerOutput {
  private final int bound;
  private BoundedSourceQueue<ByteString> queue;
  private List<ByteString> early = new ArrayList<>(0);
  private boolean completed;

  /** @param bound the queue's size: as many frames wait here before {@link #attach} at most */
  PeerOutput(int bound) {
    this.bound = bound;
  }

  /** The connection's stream is running: what was written so far goes out first, in order. */
  void attach(BoundedSourceQueue<ByteString> q) {
    if (queue != null) {
      return;
    }
    queue = q;
    List<ByteString> waiting = early;
    early = null;
    for (ByteString b : waiting) {
      offer(b);
    }
    if (completed) {
      complete();
    }
  }

  /** False when the frame could not be queued: the peer does not read, or has gone. */
  boolean offer(MsrpFrame frame) {
    return offer(ByteString.fromArray(MsrpWriter.write(frame)));
  }

  private boolean offer(ByteString bytes) {
    if (queue == null) {
      if (completed || early.size() >= bound) {
        return false;
      }
      early.add(bytes);
      return true;
    }
    try {
      return queue.offer(bytes) == QueueOfferResult.enqueued();
    } catch (IllegalStateException closed) {
      return false;
    }
  }

  /** Lets the stream flush and close; the peer may have closed first, which completed it. */
  void complete() {
    completed = true;
    if (queue == null) {
      return;
    }
    try {
      queue.complete();
    } catch (IllegalStateException alreadyClosed) {
      // Nothing left to flush to a peer that has gone.
    }
  }
}
