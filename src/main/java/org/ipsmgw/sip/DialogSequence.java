package org.ipsmgw.sip;

import java.util.HashMap;
import java.util.Map;

/**
 * The CSeq of the gateway's next request in a dialog (RFC 3261 §12.2.1.1: each new request
 * of a dialog has a higher one). Tenths of a second since the epoch grow on every node, so a
 * request a node sends after another node's, as after a failover, does not go lower; two
 * requests of one dialog within the same tenth (a re-INVITE sent again soon after its 491, a
 * BYE right after a failed re-INVITE) would share it, so each dialog's last CSeq on this node
 * is kept until the clock has passed it. (A node taking over a dialog within the same few
 * tenths as such a pair could still send a CSeq one or two lower than the last: the CPM side
 * answers it 500, as for any out-of-order request.)
 */
final class DialogSequence {
  /** Past this many dialogs, those the clock has passed are forgotten. */
  private static final int PRUNE_ABOVE = 1024;

  private final Map<String, Long> last = new HashMap<>();

  /** The CSeq for {@code callId}'s next request at clock time {@code millis}. */
  synchronized long next(String callId, long millis) {
    long clock = millis / 100 % Integer.MAX_VALUE;
    Long before = last.get(callId);
    long cseq = before == null || before < clock ? clock : before + 1;
    if (last.size() >= PRUNE_ABOVE) {
      last.values().removeIf(v -> v < clock);
    }
    last.put(callId, cseq);
    return cseq;
  }

  /** Dialogs whose last CSeq is kept, for tests. */
  synchronized int kept() {
    return last.size();
  }
}
