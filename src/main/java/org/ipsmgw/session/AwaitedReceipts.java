package org.ipsmgw.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;

/**
 * The bound on the SMS a chat or a pager conversation waits on for a failure receipt only
 * ({@value #KEY}). Such an SMS asked the SMSC for failure receipts only, so a delivered one is
 * never heard of again, and without a bound a long conversation would keep every one it sent.
 */
public final class AwaitedReceipts {
  public static final String KEY = "ipsmgw.session.failure-receipts-awaited";
  public static final int DEFAULT = 100;
  public static final int MAX = 10_000;

  private AwaitedReceipts() {}

  /** {@value #KEY}, checked against its range. */
  public static int fromConfig(Config config) {
    int awaited = config.getInt(KEY);
    if (!inRange(awaited)) {
      throw new ConfigException.BadValue(config.origin(), KEY,
          "must be 0-" + MAX + ", not " + awaited);
    }
    return awaited;
  }

  /** Whether {@code awaited} is a value {@value #KEY} may take. */
  public static boolean inRange(int awaited) {
    return awaited >= 0 && awaited <= MAX;
  }

  /**
   * The line a chat or pager conversation logs when it stops waiting on {@code forgotten}: how
   * many, the first and last reference (the gateway's own), and the bound.
   */
  public static final String FORGOTTEN_LOG = "no longer waiting for a failure receipt of {} SMS,"
      + " {} to {}: the oldest past " + KEY + " ({})";

  /** The arguments of {@link #FORGOTTEN_LOG}. */
  public static Object[] forgottenLogArgs(List<String> forgotten, int awaited) {
    return new Object[] {forgotten.size(), forgotten.get(0), forgotten.get(forgotten.size() - 1),
        awaited};
  }

  /**
   * The oldest of {@code waiting} (oldest first) to stop waiting on, so that no more than
   * {@code awaited} wait. Past the bound a quarter of it goes at once, so the event that says so
   * is written once in that many messages rather than with each. Empty within the bound.
   */
  public static List<String> beyond(List<String> waiting, int awaited) {
    if (waiting.size() <= awaited) {
      return List.of();
    }
    return List.copyOf(waiting.subList(0, waiting.size() - (awaited - awaited / 4)));
  }
}
