package org.ipsmgw.session;

/** Outbound port toward the CPM user over MSRP; the MSRP endpoint implements it. */
public interface MsrpPort {
  void send(MsrpMessage message);

  void notifyDelivery(DeliveryNotice notice);
}
