package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;

/**
 * The number an anonymous CPM sender's pager messages come from toward one SMS user, or why
 * there is none ({@code number} null, {@code status} the SIP final error to answer with).
 */
public record PagerAlias(String number, int status, String reason) implements CborSerializable {

  public static PagerAlias of(String number) {
    return new PagerAlias(number, 0, null);
  }

  public static PagerAlias refused(int status, String reason) {
    return new PagerAlias(null, status, reason);
  }
}
