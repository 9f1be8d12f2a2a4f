package org.ipsmgw.session;

/** Why a chat ended when it did not end with a final error response to an INVITE. */
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
  NO_ACK,
  /**
   * The SMS user sent a stop keyword before the CPM user answered the gateway's INVITE: CANCEL,
   * and a BYE for a 2xx that crosses it.
   */
  SMS_CANCEL,
  /**
   * The re-INVITE that moves a recovered chat's media path failed (an error final response, no
   * answer, or a transport error): the chat has no media path, so it ends with a BYE, the
   * teardown SMS as policy says, and its number freed.
   */
  MEDIA_LOST
}
