package org.ipsmgw.session;

/** Why an established chat ended. */
public enum EndCause {
  /** BYE from the CPM user (23.204 §6.16). */
  CPM_BYE,
  /** The SMS user sent a stop keyword (23.204 §6.17). */
  SMS_STOP,
  /** No message either way for the policy's idle timeout. */
  IDLE_TIMEOUT,
  /** Ended through the admin API. */
  ADMIN,
  /** The CPM side never ACKed the 200 (64·T1, RFC 3261 §13.3.1.4): BYE, number freed. */
  NO_ACK
}
