package org.ipsmgw.msrp;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Chunks of incoming MSRP messages of one session, joined by Message-ID and Byte-Range (RFC 4975
 * §7.1.1, §7.3): '+' chunks are buffered, '$' completes, '#' discards. Chunks may arrive in any
 * order; overlapping data is overwritten by the latest chunk. A message larger than the limit is
 * refused with 413 and forgotten.
 */
public final class MessageAssembler {
  /** What a chunk led to. */
  public sealed interface Outcome {}

  /** More chunks are expected. */
  public record Partial(String messageId) implements Outcome {}

  /** The whole message. */
  public record Complete(String messageId, String contentType, byte[] body, ReportFlags flags)
      implements Outcome {}

  /** The sender aborted the message ('#'); its chunks are gone. */
  public record Aborted(String messageId) implements Outcome {}

  /** The chunk cannot be taken; answer {@code status}. */
  public record Refused(int status, String reason) implements Outcome {}

  private static final class Pending {
    byte[] data;
    long highest;
    long total = -1;
    boolean lastSeen;
    String contentType;
    long received;

    Pending(int initial) {
      data = new byte[initial];
    }
  }

  private final int maxMessageOctets;
  private final Map<String, Pending> pending = new HashMap<>();

  public MessageAssembler(int maxMessageOctets) {
    this.maxMessageOctets = maxMessageOctets;
  }

  public Outcome accept(MsrpFrame send) {
    Optional<String> id = send.messageId();
    if (id.isEmpty()) {
      return new Refused(400, "SEND without Message-ID");
    }
    String messageId = id.get().trim();
    ByteRange range;
    try {
      range = send.header("Byte-Range").map(ByteRange::parse)
          .orElse(ByteRange.whole(send.body().length));
    } catch (IllegalArgumentException e) {
      return new Refused(400, e.getMessage());
    }
    if (send.flag() == '#') {
      pending.remove(messageId);
      return new Aborted(messageId);
    }
    long total = range.total();
    long end = range.start() - 1 + send.body().length;
    if ((total >= 0 && total > maxMessageOctets) || end > maxMessageOctets) {
      pending.remove(messageId);
      return new Refused(413, "message larger than " + maxMessageOctets + " octets");
    }
    Pending p = pending.get(messageId);
    if (p == null) {
      if (range.start() == 1 && send.flag() == '$' && (total < 0 || total == end)) {
        // The common case: a whole message in one chunk.
        return new Complete(messageId, send.contentType().orElse(""), send.body(),
            ReportFlags.of(send));
      }
      p = new Pending((int) Math.min(Math.max(total, end), maxMessageOctets));
      pending.put(messageId, p);
    }
    if (end > p.data.length) {
      p.data = java.util.Arrays.copyOf(p.data, (int) Math.max(end, p.data.length * 2L));
    }
    System.arraycopy(send.body(), 0, p.data, (int) range.start() - 1, send.body().length);
    p.highest = Math.max(p.highest, end);
    p.received += send.body().length;
    if (total >= 0) {
      p.total = total;
    }
    if (range.start() == 1 || p.contentType == null) {
      p.contentType = send.contentType().orElse(p.contentType);
    }
    if (send.flag() == '$') {
      p.lastSeen = true;
      if (p.total < 0) {
        p.total = end;
      }
    }
    if (p.lastSeen && p.received >= p.total && p.highest == p.total) {
      pending.remove(messageId);
      return new Complete(messageId, p.contentType == null ? "" : p.contentType,
          java.util.Arrays.copyOf(p.data, (int) p.total), ReportFlags.of(send));
    }
    return new Partial(messageId);
  }

  /** Messages still waiting for chunks. */
  public int pendingCount() {
    return pending.size();
  }
}
