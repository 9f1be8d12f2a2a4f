package org.ipsmgw.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the correlation number for a new chat of one SMS user: the number that user sees as sender
 * and replies to. Numbers only need to be unique per SMS user, because an MO SMS is routed by
 * (SMS user, number dialled); so the pool is shared by all users and bounds the chats of one user.
 */
public record CorrelationPlan(CorrelationMode mode, List<String> pool) {

  public CorrelationPlan {
    pool = List.copyOf(pool);
  }

  /**
   * @param cpmMsisdn the CPM user's MSISDN, or null when unknown
   * @param anonymous the CPM user asked to hide its identity: its own number must not be shown
   * @param inUse correlation numbers of the SMS user's other active chats
   */
  public Optional<String> choose(String cpmMsisdn, boolean anonymous, Set<String> inUse) {
    if (mode == CorrelationMode.CPM_MSISDN && cpmMsisdn != null && !anonymous
        && !inUse.contains(cpmMsisdn)) {
      return Optional.of(cpmMsisdn);
    }
    return pool.stream().filter(n -> !inUse.contains(n)).findFirst();
  }
}
