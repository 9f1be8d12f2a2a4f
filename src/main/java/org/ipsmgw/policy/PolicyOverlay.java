package org.ipsmgw.policy;

import org.ipsmgw.CborSerializable;

/**
 * The operator's runtime changes to the configured policy, as stored by {@link PolicyStore}.
 *
 * @param overlay a JSON object of {@code ipsmgw.policy} keys; {@code {}} when nothing was changed
 * @param revision how many updates were stored; 0 for none, so nodes can ignore stale copies
 */
public record PolicyOverlay(String overlay, long revision) implements CborSerializable {
  public static final PolicyOverlay NONE = new PolicyOverlay(PolicyUpdate.NO_OVERLAY, 0);
}
