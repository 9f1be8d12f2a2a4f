package org.ipsmgw.sim;

/**
 * What became of one deliver_sm the simulator sent (an MO part or a receipt), over all its
 * attempts.
 *
 * @param kind "mo" or "receipt"
 * @param from the source address as sent (digits)
 * @param attempts times it was sent, the first included
 * @param finalStatus the deliver_sm_resp status that ended it (0 = accepted, else a permanent
 *     refusal, or a retry status when resending is off or gave up), or null while it is still
 *     being resent
 */
public record SmscDelivery(long id, String kind, String from, String to, int attempts,
    Integer finalStatus) {

  public boolean accepted() {
    return finalStatus != null && finalStatus == 0;
  }
}
