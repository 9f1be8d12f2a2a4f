package org.ipsmgw.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts received so far of one concatenated MO SMS. Immutable, and plain enough to live in
 * the SmsSubscriber's persisted state.
 *
 * @param parts seq → text
 */
public record MoAssembly(String sender, String recipient, String reference, int total,
    Map<Integer, String> parts, Instant firstPartAt) {

  public MoAssembly {
    parts = java.util.Collections.unmodifiableMap(new TreeMap<>(parts));
  }

  public static String key(String sender, String recipient, String reference, int total) {
    return sender + "|" + recipient + "|" + reference + "|" + total;
  }

  public static MoAssembly start(String sender, String recipient, MoPart first) {
    check(first, first.total());
    return new MoAssembly(sender, recipient, first.reference(), first.total(),
        Map.of(first.seq(), first.text()), first.receivedAt());
  }

  /** With the part added; a part already held is ignored (the SMSC resent it). */
  public MoAssembly add(MoPart part) {
    check(part, total);
    if (parts.containsKey(part.seq())) {
      return this;
    }
    Map<Integer, String> next = new TreeMap<>(parts);
    next.put(part.seq(), part.text());
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
    return parts.containsKey(seq);
  }

  public boolean isComplete() {
    return parts.size() == total;
  }

  public String text() {
    if (!isComplete()) {
      throw new IllegalStateException("parts " + missing() + " are missing");
    }
    return String.join("", parts.values());
  }

  /** The parts received, in order, with {@code marker} once for each run of missing parts. */
  public String partialText(String marker) {
    StringBuilder out = new StringBuilder();
    boolean gap = false;
    for (int seq = 1; seq <= total; seq++) {
      String text = parts.get(seq);
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
      if (!parts.containsKey(seq)) {
        out.add(seq);
      }
    }
    return out;
  }

  public Instant expiresAt(Duration timeout) {
    return firstPartAt.plus(timeout);
  }
}
