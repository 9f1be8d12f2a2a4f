package org.ipsmgw.node;

import java.util.regex.Pattern;

/**
 * H2 keeps a BLOB longer than {@code MAX_LENGTH_INPLACE_LOB} bytes (its default: 256) outside
 * its row, in maps of their own, so writing it costs several more B-tree updates and pages per
 * commit. A chat's events and snapshots are BLOBs in the journal, and a CPM message of an SMS's
 * length serializes to about 320 bytes: past the default, so nearly every chat message paid
 * that. Kept in the row up to {@link #BYTES}, H2 wrote such an event with 0.57-0.69 of the CPU
 * (load-tests/h2/H2JournalWrite), and the node used 0.93 of the CPU per chat message with
 * 120-character texts (load-tests/RESULTS.md, Tenth round).
 */
final class H2InlineLobs {
  /**
   * Room for a chat event of several SMS's length (H2's page is 4 KiB); a longer value (a long
   * CPM message, a snapshot of a chat with many SMS under way) still goes out of the row, so no
   * row spans many pages.
   */
  static final int BYTES = 4096;
  static final String SETTING = "MAX_LENGTH_INPLACE_LOB=" + BYTES;
  private static final Pattern SET = Pattern.compile("(?i);\\s*MAX_LENGTH_INPLACE_LOB\\s*=");

  private H2InlineLobs() {}

  /**
   * The operator's H2 file URL with {@link #SETTING} added, unless it sets its own length; an
   * in-memory database (tests) is left as it is.
   */
  static String url(String url) {
    return url.startsWith("jdbc:h2:mem:") || SET.matcher(url).find() ? url
        : url + ";" + SETTING;
  }
}
