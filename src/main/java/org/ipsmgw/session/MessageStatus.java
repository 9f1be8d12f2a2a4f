package org.ipsmgw.session;

public enum MessageStatus {
  /** Accepted and persisted; not yet confirmed by the outbound edge. */
  PENDING,
  /** Accepted by the SMSC (every part has an SMSC message id). */
  SUBMITTED,
  /** Every part delivered. */
  DELIVERED,
  /** The SMSC refused it or a part was not delivered. */
  FAILED;

  public boolean isFinal() {
    return this == DELIVERED || this == FAILED;
  }
}
