package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.Refusal;

/** The number an anonymous CPM sender's pager messages come from toward one SMS user, or why none. */
public sealed interface PagerAlias extends CborSerializable {

  /** The pool number; the same sender keeps it, and the SMS user's replies to it find the sender. */
  record Assigned(String number) implements PagerAlias {}

  /** No number: the SIP final error to answer the MESSAGE with (403 anonymity off, 503 pool used up). */
  record Refused(Refusal refusal) implements PagerAlias {}
}
