package org.ipsmgw.sms;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 / 3GPP TS 23.038 default alphabet and its extension table, written by hand: no
 * maintained Java library offers septet counting, extension-aware splitting and packing with
 * fill bits together, and the tables are small and fixed.
 */
public final class Gsm7Alphabet {
  /** Code 0x1B escapes to the extension table; it is not a character. */
  static final int ESC = 0x1B;

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  /** Extension table: character and its code after ESC. */
  private static final char[] EXT_CHARS = {'\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'};
  private static final int[] EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40,
      0x65};

  private static final int[] BASIC_CODE = new int[0x10000];
  private static final int[] EXT_CODE = new int[0x10000];

  static {
    if (BASIC.length() != 128) {
      throw new IllegalStateException("GSM 03.38 table has " + BASIC.length() + " entries");
    }
    java.util.Arrays.fill(BASIC_CODE, -1);
    java.util.Arrays.fill(EXT_CODE, -1);
    for (int i = 0; i < 128; i++) {
      if (i != ESC) {
        BASIC_CODE[BASIC.charAt(i)] = i;
      }
    }
    for (int i = 0; i < EXT_CHARS.length; i++) {
      EXT_CODE[EXT_CHARS[i]] = EXT_CODES[i];
    }
  }

  private Gsm7Alphabet() {}

  /** 1 (basic table), 2 (extension table: ESC + code) or -1 (not in GSM 03.38). */
  public static int septetsOf(int codePoint) {
    if (codePoint < 0 || codePoint > 0xFFFF) {
      return -1;
    }
    if (BASIC_CODE[codePoint] >= 0) {
      return 1;
    }
    return EXT_CODE[codePoint] >= 0 ? 2 : -1;
  }

  public static boolean isRepresentable(CharSequence text) {
    return text.codePoints().allMatch(cp -> septetsOf(cp) > 0);
  }

  /** Septets the text needs; IllegalArgumentException naming the first character that has none. */
  public static int septets(CharSequence text) {
    int total = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      int n = septetsOf(cp);
      if (n < 0) {
        throw new IllegalArgumentException(String.format(
            "U+%04X at index %d is not in the GSM 03.38 alphabet", cp, i));
      }
      total += n;
      i += Character.charCount(cp);
    }
    return total;
  }

  /** Unpacked septets, one per octet; extension characters as ESC, code. */
  public static byte[] encode(CharSequence text) {
    septets(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (BASIC_CODE[c] >= 0) {
        out.write(BASIC_CODE[c]);
      } else {
        out.write(ESC);
        out.write(EXT_CODE[c]);
      }
    }
    return out.toByteArray();
  }

  /**
   * Decodes unpacked septets. ESC before a code with no extension character shows the basic
   * character of that code, and a trailing ESC shows as a space (TS 23.038 §6.2.1.1: a receiver
   * displays the default-alphabet character rather than dropping text).
   */
  public static String decode(byte[] septets, int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = offset; i < offset + length; i++) {
      int s = septets[i] & 0xFF;
      if (s > 0x7F) {
        throw new IllegalArgumentException(String.format(
            "octet 0x%02X at %d is not a GSM 7-bit septet", s, i - offset));
      }
      if (s != ESC) {
        out.append(BASIC.charAt(s));
        continue;
      }
      if (i + 1 == offset + length) {
        out.append(' ');
        continue;
      }
      int code = septets[++i] & 0x7F;
      out.append(extension(code));
    }
    return out.toString();
  }

  private static char extension(int code) {
    for (int i = 0; i < EXT_CODES.length; i++) {
      if (EXT_CODES[i] == code) {
        return EXT_CHARS[i];
      }
    }
    return code == ESC ? ' ' : BASIC.charAt(code);
  }

  /** Packs septets 7 bits each, least significant bit first, after {@code fillBits} zero bits. */
  public static byte[] pack(byte[] septets, int fillBits) {
    int bits = fillBits + septets.length * 7;
    byte[] out = new byte[(bits + 7) / 8];
    int bit = fillBits;
    for (byte septet : septets) {
      int v = septet & 0x7F;
      int at = bit / 8;
      int shift = bit % 8;
      out[at] |= (byte) (v << shift);
      if (shift > 1) {
        out[at + 1] |= (byte) (v >> (8 - shift));
      }
      bit += 7;
    }
    return out;
  }

  /** Reverses {@link #pack}: {@code septetCount} septets after {@code fillBits}. */
  public static byte[] unpack(byte[] packed, int offset, int length, int fillBits,
      int septetCount) {
    if (fillBits + septetCount * 7 > length * 8) {
      throw new IllegalArgumentException(septetCount + " septets do not fit in " + length
          + " octets");
    }
    byte[] out = new byte[septetCount];
    int bit = fillBits;
    for (int i = 0; i < septetCount; i++) {
      int at = offset + bit / 8;
      int shift = bit % 8;
      int v = (packed[at] & 0xFF) >> shift;
      if (shift > 1) {
        v |= (packed[at + 1] & 0xFF) << (8 - shift);
      }
      out[i] = (byte) (v & 0x7F);
      bit += 7;
    }
    return out;
  }
}
