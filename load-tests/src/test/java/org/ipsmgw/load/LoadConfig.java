package org.ipsmgw.load;

/**
 * A run's settings, from system properties ({@code run.sh} passes them; each has a default so a
 * simulation can also be started by hand against a node on the default ports).
 * {@code load.sip-port} is one port (a node or the SIP front) or several, comma-separated (nodes
 * without a front: each new chat or pager conversation goes to the next in turn).
 */
record LoadConfig(String host, java.util.List<Integer> sipPorts, int smscControlPort,
    int durationSeconds, int chats, int messages, int moMessages, int window, int moWindow,
    int rate, long timeoutMs, long pollMs, int uaPort, long moBatchMs, int pagerRate, int pagerMessages, int invitationRate,
    int p99Ms, int numberOffset, int sendPaceMs, int textChars) {

  /** Token and filler stay one GSM 7-bit SMS (160 characters) with room for "load ". */
  static final int MAX_TEXT_CHARS = 150;
  private static final String FILLER = "see you at the station at eight, bring the tickets ";

  static LoadConfig fromSystemProperties() {
    LoadConfig c = new LoadConfig(
        System.getProperty("load.host", "127.0.0.1"),
        ports("load.sip-port", 5060),
        integer("load.smsc-control-port", 2776),
        integer("load.duration", 30),
        integer("load.chats", 20),
        integer("load.messages", 50),
        integer("load.mo-messages", -1),
        integer("load.window", 8),
        integer("load.mo-window", 1),
        integer("load.rate", 50),
        integer("load.timeout-ms", 10_000),
        integer("load.poll-ms", 200),
        integer("load.ua-port", 0),
        integer("load.mo-batch-ms", 10),
        integer("load.pager-rate", 20),
        integer("load.pager-messages", 5),
        integer("load.invitation-rate", 10),
        integer("load.p99-ms", 2_000),
        integer("load.number-offset", 0),
        integer("load.send-pace-ms", 0),
        integer("load.text-chars", 0));
    if (c.moMessages < 0) {
      c = new LoadConfig(c.host, c.sipPorts, c.smscControlPort, c.durationSeconds, c.chats,
          c.messages, c.messages, c.window, c.moWindow, c.rate, c.timeoutMs, c.pollMs, c.uaPort,
          c.moBatchMs, c.pagerRate, c.pagerMessages, c.invitationRate, c.p99Ms, c.numberOffset,
          c.sendPaceMs, c.textChars);
    }
    if (c.numberOffset < 0 || c.numberOffset > 5_000_000) {
      throw new IllegalArgumentException("load.number-offset must be 0..5000000, got "
          + c.numberOffset);
    }
    if (c.sendPaceMs < 0 || c.sendPaceMs > 60_000) {
      throw new IllegalArgumentException("load.send-pace-ms must be 0 (none)..60000, got "
          + c.sendPaceMs);
    }
    if (c.textChars < 0 || c.textChars > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException("load.text-chars must be 0 (the token only).."
          + MAX_TEXT_CHARS + " (one SMS), got " + c.textChars);
    }
    if (c.moBatchMs < 1) {
      throw new IllegalArgumentException("load.mo-batch-ms must be at least 1, got "
          + c.moBatchMs);
    }
    if (c.durationSeconds < 1 || c.durationSeconds > 300) {
      throw new IllegalArgumentException("load.duration must be 1..300 s, got "
          + c.durationSeconds);
    }
    return c;
  }

  private static java.util.List<Integer> ports(String key, int dflt) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      return java.util.List.of(dflt);
    }
    java.util.List<Integer> ports = new java.util.ArrayList<>();
    for (String part : v.split(",")) {
      try {
        int p = Integer.parseInt(part.trim());
        if (p < 1 || p > 65_535) {
          throw new NumberFormatException();
        }
        ports.add(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be ports 1..65535, comma-separated, got '"
            + v + "'");
      }
    }
    return java.util.List.copyOf(ports);
  }

  private static int integer(String key, int dflt) {
    String v = System.getProperty(key);
    try {
      return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  /**
   * A message's text: its token, and with {@code load.text-chars} filler up to that length, so
   * the gateway stores and sends texts of a real chat's size (the token alone is 16 characters,
   * and a stored event's size decides how the journal keeps it).
   */
  String text(Tokens.Token t) {
    StringBuilder b = new StringBuilder("load ").append(t);
    if (b.length() < textChars) {
      b.append(' ');
    }
    int filler = b.length();
    while (b.length() < textChars) {
      b.append(FILLER.charAt((b.length() - filler) % FILLER.length()));
    }
    return b.toString();
  }

  String describe() {
    return "sip 127.0.0.1:" + sipPorts.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(",")) + ", smsc control " + smscControlPort + ", duration "
        + durationSeconds + " s, chats " + chats + ", messages " + messages + " MSRP->SMS and "
        + Math.min(moMessages, messages) + " SMS->MSRP per chat, window "
        + window + " (MO " + moWindow + ")" + (sendPaceMs == 0 ? "" : ", a SEND every "
        + sendPaceMs + " ms per chat (" + (chats * 1000L / sendPaceMs) + "/s offered while "
        + "every chat runs)") + (textChars == 0 ? "" : ", texts padded to " + textChars
        + " characters") + ", set-up rate " + rate + "/s, timeout " + timeoutMs
        + " ms, SMSC poll " + pollMs + " ms, MO batch every " + moBatchMs + " ms, pager "
        + pagerRate + "/s × " + pagerMessages + " each way, invitations " + invitationRate
        + "/s, asserted: failures < 0.1 % and p99 < " + p99Ms + " ms per request";
  }
}
