package org.ipsmgw.policy;

/** Whose rule produced an invitation decision; logged and stored with the session. */
public enum DecisionSource {
  OPERATOR,
  USER,
  ANONYMITY
}
