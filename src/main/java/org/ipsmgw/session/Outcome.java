package org.ipsmgw.session;

/** How a session ended; the name of its final lifecycle state. */
public enum Outcome {
  REJECTED,
  EXPIRED,
  CANCELLED,
  CLOSED
}
