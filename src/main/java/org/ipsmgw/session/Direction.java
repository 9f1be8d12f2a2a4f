package org.ipsmgw.session;

public enum Direction {
  /** From the CPM user, submitted to the SMSC. */
  TO_SMS,
  /** From the SMS user, sent over MSRP. */
  TO_CPM
}
