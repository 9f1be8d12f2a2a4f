package org.ipsmgw.sim;

/**
 * Reads the numeric values of the simulators' command-line options. A bad value is a usage error
 * whose message names the option, what it accepts and what it got, in one line.
 */
final class OptionValues {
  private OptionValues() {}

  /** The value after option {@code args[i - 1]}; a missing one is a usage error. */
  static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  static int port(String option, String value) {
    int p = integer(option, value, "a port number 1-65535");
    if (p < 1 || p > 65535) {
      throw bad(option, "a port number 1-65535", value);
    }
    return p;
  }

  static int nonNegative(String option, String value) {
    int n = integer(option, value, "a whole number >= 0");
    if (n < 0) {
      throw bad(option, "a whole number >= 0", value);
    }
    return n;
  }

  static int positive(String option, String value) {
    int n = integer(option, value, "a whole number >= 1");
    if (n < 1) {
      throw bad(option, "a whole number >= 1", value);
    }
    return n;
  }

  static double ratio(String option, String value) {
    double r;
    try {
      r = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw bad(option, "a number within 0..1", value);
    }
    if (!(r >= 0 && r <= 1)) {
      throw bad(option, "a number within 0..1", value);
    }
    return r;
  }

  private static int integer(String option, String value, String accepted) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw bad(option, accepted, value);
    }
  }

  private static BadValue bad(String option, String accepted, String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return new BadValue(option + " must be " + accepted + ", got '" + shown + "'");
  }

  /** A value an option does not accept: one line, no usage text after it. */
  static final class BadValue extends IllegalArgumentException {
    BadValue(String message) {
      super(message);
    }
  }
}
