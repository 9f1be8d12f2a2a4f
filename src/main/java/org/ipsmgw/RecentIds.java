package org.ipsmgw;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids of the last messages an entity took, kept in its state so that a sender repeating a
 * message whose answer it lost (a CPM client, a recovered subscriber) is recognised and the
 * message is not delivered twice. A sender repeats only its latest unanswered messages, so a
 * short memory keeps the state small.
 */
public final class RecentIds {
  /** How many ids an entity keeps. */
  public static final int KEPT = 32;

  private RecentIds() {}

  /** {@code ids} with {@code id} added last, the oldest dropped beyond {@link #KEPT}. */
  public static List<String> with(List<String> ids, String id) {
    List<String> kept = new ArrayList<>(ids);
    kept.add(id);
    while (kept.size() > KEPT) {
      kept.remove(0);
    }
    return List.copyOf(kept);
  }
}
