package org.ipsmgw.node;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * H2 keeps a committed transaction in memory for up to {@code WRITE_DELAY} ms (its default: 500)
 * before it writes it to the file, so a process crash (kill -9, the kernel's OOM killer, a JVM
 * abort) loses commits the node has already acknowledged to a peer: an MSRP 200, a
 * {@code deliver_sm_resp}, a SIP 200. With {@code WRITE_DELAY=0} each commit reaches the file
 * (the operating system's cache) before it returns. H2 still does not sync the file to the disk
 * on a commit, so a power cut of the host may lose the last commits; PostgreSQL does.
 */
final class H2Durability {
  static final String SETTING = "WRITE_DELAY=0";
  /**
   * The journal's batch inserts under way at once (pekko-persistence-jdbc's
   * {@code jdbc-journal.parallelism}, 8 by default). H2 writes one commit at a time to its one
   * file, so eight batches only queued there, each paying its own write; one at a time, the
   * events that wait meanwhile go together in the next batch (0.93 and 1.13 ms of node CPU per
   * chat message against 1.28, load-tests/RESULTS.md, Ninth round).
   */
  static final int JOURNAL_WRITES_AT_ONCE = 1;
  private static final Pattern WRITE_DELAY =
      Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=\\s*([^;]*)");
  /** How much of an operator's value a message repeats. */
  private static final int SHOWN = 20;

  private H2Durability() {}

  /**
   * The URL the node connects to for the operator's H2 {@code url}: with {@code WRITE_DELAY=0}
   * added, unless it names it already. An in-memory database has no file to write.
   *
   * @throws StartupException when the URL sets another write delay
   */
  static String url(String url) {
    if (url.startsWith("jdbc:h2:mem:")) {
      return url;
    }
    Matcher m = WRITE_DELAY.matcher(url);
    if (!m.find()) {
      return url + ";" + SETTING;
    }
    String value = m.group(1).strip();
    if (value.equals("0")) {
      return url;
    }
    String shown = value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    throw new StartupException("configuration error: ipsmgw.db.url sets WRITE_DELAY=" + shown
        + ": H2 would then hold each commit in memory for that long, and a crash of the node "
        + "would lose messages it has already acknowledged; remove the setting (the node sets "
        + SETTING + ")");
  }
}
