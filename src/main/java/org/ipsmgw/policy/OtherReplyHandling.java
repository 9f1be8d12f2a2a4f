package org.ipsmgw.policy;

/** What a reply to an invitation SMS that is neither an accept nor a decline keyword means. */
public enum OtherReplyHandling {
  /** Accept the chat and deliver the text as its first message. */
  ACCEPT_WITH_TEXT,
  /** Keep waiting and send the ask-again text. */
  ASK_AGAIN
}
