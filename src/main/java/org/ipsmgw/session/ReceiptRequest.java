package org.ipsmgw.session;

/**
 * Which delivery notifications the CPM sender asked for (CPIM imdn.Disposition-Notification),
 * and so which SMPP registered_delivery value its SMS carries.
 */
public enum ReceiptRequest {
  /** No delivery notification: registered_delivery 0x00. */
  NONE(0x00),
  /** negative-delivery only: registered_delivery 0x02. */
  FAILURE_ONLY(0x02),
  /** positive-delivery (with or without negative): registered_delivery 0x01. */
  SUCCESS_AND_FAILURE(0x01);

  private final int registeredDelivery;

  ReceiptRequest(int registeredDelivery) {
    this.registeredDelivery = registeredDelivery;
  }

  public int registeredDelivery() {
    return registeredDelivery;
  }

  /** Whether a notification of this outcome was asked for. */
  public boolean wants(boolean delivered) {
    return delivered ? this == SUCCESS_AND_FAILURE : this != NONE;
  }
}
