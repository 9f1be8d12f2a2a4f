package org.ipsmgw.sms;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SMSC message ids as keys. Some SMSCs answer submit_sm with a hexadecimal id and quote it in
 * decimal in the receipt (or the other way round), with or without leading zeros; a receipt's id
 * is therefore looked up under each of its readings.
 */
public final class SmscMessageId {
  private static final int MAX_LENGTH = 65;

  private SmscMessageId() {}

  public static String canonical(String id) {
    return id.strip().toLowerCase(Locale.ROOT);
  }

  /** The id as given first, then its decimal/hexadecimal readings, without duplicates. */
  public static List<String> lookupCandidates(String id) {
    String c = canonical(id);
    if (c.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("SMSC message id of " + c.length()
          + " characters is longer than " + MAX_LENGTH);
    }
    Set<String> out = new LinkedHashSet<>();
    out.add(c);
    if (c.isEmpty()) {
      return new ArrayList<>(out);
    }
    boolean decimal = c.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    boolean hex = c.chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    String stripped = c.replaceFirst("^0+(?=.)", "");
    out.add(stripped);
    if (decimal) {
      String asHex = new BigInteger(c, 10).toString(16);
      out.add(asHex);
      if (asHex.length() < c.length()) {
        out.add("0".repeat(c.length() - asHex.length()) + asHex);
      }
    }
    if (hex) {
      out.add(new BigInteger(c, 16).toString(10));
    }
    return new ArrayList<>(out);
  }
}
