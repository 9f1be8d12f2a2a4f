package org.ipsmgw;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The one maker of random identifiers: tags, branches, transaction and session ids, and the CPM
 * identifiers the gateway opens a conversation with. Lowercase hex, so every id fits SIP tokens
 * and MSRP URI syntax alike.
 */
public final class RandomIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomIds() {}

  /** {@code bytes} random bytes as {@code 2·bytes} hex digits. */
  public static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** 64 bits: a SIP tag or branch suffix, an MSRP transaction or message id. */
  public static String token() {
    return hex(8);
  }

  /** 128 bits: an MSRP session id (RFC 4975 §14.1 asks at least 80). */
  public static String sessionId() {
    return hex(16);
  }

  /** A new Conversation-ID or Contribution-ID (a UUID, as CPM clients make them). */
  public static String cpmId() {
    return UUID.randomUUID().toString();
  }

  /** A random number below {@code bound}, for counters that must not start alike on every node. */
  public static long below(long bound) {
    return Math.floorMod(RANDOM.nextLong(), bound);
  }
}
