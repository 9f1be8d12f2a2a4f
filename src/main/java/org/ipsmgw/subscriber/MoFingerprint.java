package org.ipsmgw.subscriber;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies one MO part across the SMSC's resends without keeping its text: the number it
 * went to, its concatenation reference, total and number, and a digest of its text. A user who
 * sends the same single SMS twice produces the same fingerprint; that is why a fingerprint is
 * recognised only once, and only after a late hand-over.
 */
final class MoFingerprint {
  private MoFingerprint() {}

  static String of(String to, MoPart part) {
    return to + "|" + part.reference() + "|" + part.total() + "|" + part.seq() + "|"
        + digest(part.text());
  }

  private static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
