package org.ipsmgw.subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts received so far of one concatenated MO SMS. Immutable, and plain enough to live in
 * the SmsSubscriber's persisted state.
 *
 * @param parts the text of part seq at index seq - 1, null while missing (a list rather than a
 *     map keyed by number, so the persisted form is the same after a round trip through JSON)
 */
public record MoAssembly(String sender, String recipient, String reference, int total,
    List<String> parts, Instant firstPartAt) {

  public MoAssembly {
    parts = java.util.Collections.unmodifiableList(new ArrayList<>(parts));
    if (parts.size() != total) {
      throw new IllegalArgumentException(parts.size() + " part slots for " + total + " parts");
    }
  }

  public static String key(String sender, String recipient, String reference, int total) {
    return sender + "|" + recipient + "|" + reference + "|" + total;
  }

  public static MoAssembly start(String sender, String recipient, MoPart first) {
    check(first, first.total());
    List<String> parts = new ArrayList<>(java.util.Collections.nCopies(first.total(), null));
    parts.set(first.seq() - 1, first.text());
    return new MoAssembly(sender, recipient, first.reference(), first.total(), parts,
        first.receivedAt());
  }

  /** With the part added; a part already held is ignored (the SMSC resent it). */
  public MoAssembly add(MoPart part) {
    check(part, total);
    if (has(part.seq())) {
      return this;
    }
    List<String> next = new ArrayList<>(parts);
    next.set(part.seq() - 1, part.text());
    return new MoAssembly(sender, recipient, reference, total, next, firstPartAt);
  }

  private static void check(MoPart part, int total) {
    if (part.total() != total) {
      throw new IllegalArgumentException("part says " + part.total() + " parts, its message has "
          + total);
    }
    if (part.seq() < 1 || part.seq() > total) {
      throw new IllegalArgumentException("part " + part.seq() + " is outside 1-" + total);
    }
  }

  public boolean has(int seq) {
    return seq >= 1 && seq <= total && parts.get(seq - 1) != null;
  }

  public boolean isComplete() {
    return parts.stream().allMatch(java.util.Objects::nonNull);
  }

  public String text() {
    if (!isComplete()) {
      throw new IllegalStateException("parts " + missing() + " are missing");
    }
    return String.join("", parts);
  }

  /** The parts received, in order, with {@code marker} once for each run of missing parts. */
  public String partialText(String marker) {
    StringBuilder out = new StringBuilder();
    boolean gap = false;
    for (int seq = 1; seq <= total; seq++) {
      String text = parts.get(seq - 1);
      if (text == null) {
        if (!gap) {
          out.append(marker);
        }
        gap = true;
      } else {
        out.append(text);
        gap = false;
      }
    }
    return out.toString();
  }

  public List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    for (int seq = 1; seq <= total; seq++) {
      if (!has(seq)) {
        out.add(seq);
      }
    }
    return out;
  }

  public Instant expiresAt(Duration timeout) {
    return firstPartAt.plus(timeout);
  }
}
