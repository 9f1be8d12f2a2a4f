package org.ipsmgw.policy;

/** Which number the SMS user sees as sender and replies to (23.204 §6.15.1 step 5, §6.16.1 NOTE 1). */
public enum CorrelationMode {
  /** The CPM user's own MSISDN; falls back to the pool when that number is already in use. */
  CPM_MSISDN,
  /** Always a free number from the configured pool. */
  POOL
}
