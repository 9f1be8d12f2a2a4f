package org.ipsmgw.subscriber;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An E.164 number in its canonical form {@code +<country code><digits>}, which is also the
 * SmsSubscriber entity id. Accepted input: with or without the leading '+', URL-encoded '+' (%2B),
 * and the digits of a {@code tel:} URI; separators ('-', '.', ' ', '(', ')') are dropped.
 */
public final class Msisdn {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{5,14}");

  private Msisdn() {}

  /** The canonical form, or empty when the input is not an E.164 number. */
  public static Optional<String> normalise(String input) {
    if (input == null) {
      return Optional.empty();
    }
    String s = input.strip();
    if (s.regionMatches(true, 0, "tel:", 0, 4)) {
      int semi = s.indexOf(';');
      s = s.substring(4, semi < 0 ? s.length() : semi);
    }
    if (s.regionMatches(true, 0, "%2B", 0, 3)) {
      s = "+" + s.substring(3);
    }
    s = s.replaceAll("[-. ()]", "");
    if (!s.startsWith("+")) {
      s = "+" + s;
    }
    return E164.matcher(s).matches() ? Optional.of(s) : Optional.empty();
  }

  /** The canonical form; throws IllegalArgumentException naming the bad value. */
  public static String require(String input) {
    return normalise(input).orElseThrow(
        () -> new IllegalArgumentException("'" + input + "' is not an E.164 number"));
  }

  /** The digits without '+', as SMPP addresses carry them (TON 1, NPI 1). */
  public static String digits(String canonical) {
    return canonical.substring(1);
  }
}
