package org.ipsmgw.msrp;

import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * The frames toward the peer: a bounded queue the connection's TCP stream drains. A full queue
 * means the peer does not read; nothing waits for it in memory.
 */
final class PeerOutput {
  private final BoundedSourceQueue<ByteString> queue;

  PeerOutput(BoundedSourceQueue<ByteString> queue) {
    this.queue = queue;
  }

  /** False when the frame could not be queued: the peer does not read, or has gone. */
  boolean offer(MsrpFrame frame) {
    try {
      return queue.offer(ByteString.fromArray(MsrpWriter.write(frame)))
          == QueueOfferResult.enqueued();
    } catch (IllegalStateException closed) {
      return false;
    }
  }

  /** Lets the stream flush and close; the peer may have closed first, which completed it. */
  void complete() {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyClosed) {
      // Nothing left to flush to a peer that has gone.
    }
  }
}
