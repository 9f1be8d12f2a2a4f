package org.ipsmgw.msrp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.PeerText;

/**
 * {@code Byte-Range: start-end/total} (RFC 4975 §7.1.1): 1-based, inclusive; {@code end} and
 * {@code total} may be unknown ("*"), held here as -1.
 */
public record ByteRange(long start, long end, long total) {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)-(\\d+|\\*)/(\\d+|\\*)");

  public static ByteRange parse(String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("Byte-Range '" + PeerText.bounded(value)
          + "' is not start-end/total");
    }
    long start = Long.parseLong(m.group(1));
    long end = m.group(2).equals("*") ? -1 : Long.parseLong(m.group(2));
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    if (start < 1 || (end >= 0 && end < start - 1) || (total >= 0 && end > total)) {
      throw new IllegalArgumentException("Byte-Range '" + PeerText.bounded(value)
          + "' is out of order");
    }
    return new ByteRange(start, end, total);
  }

  /** The range of a whole message of {@code size} octets in one chunk ({@code 1-0/0} if empty). */
  public static ByteRange whole(long size) {
    return new ByteRange(1, size, size);
  }

  @Override
  public String toString() {
    return start + "-" + (end < 0 ? "*" : end) + "/" + (total < 0 ? "*" : total);
  }
}
