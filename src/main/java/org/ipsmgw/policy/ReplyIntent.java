package org.ipsmgw.policy;

/** The meaning of an SMS from the SMS user, as far as the chat's control is concerned. */
public enum ReplyIntent {
  ACCEPT,
  DECLINE,
  STOP,
  /** Any other text: conversation content, or an unclear reply to an invitation. */
  TEXT
}
