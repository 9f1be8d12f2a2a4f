package org.ipsmgw.sms;

import java.nio.charset.StandardCharsets;

/** Decodes the text of an MO SMS part by its data_coding. */
public final class SmsTextDecoder {
  private SmsTextDecoder() {}

  /**
   * @param fillBits zero bits before the first septet of packed GSM-7 (after a UDH)
   */
  public static String decode(int dataCoding, byte[] data, int offset, int length,
      boolean gsm7Packed, int fillBits) {
    if (isGsm7(dataCoding)) {
      if (!gsm7Packed) {
        return Gsm7Alphabet.decode(data, offset, length);
      }
      int septets = (length * 8 - fillBits) / 7;
      byte[] unpacked = Gsm7Alphabet.unpack(data, offset, length, fillBits, septets);
      // When the octets leave exactly 7 spare bits, they hold a CR pad (23.038 §6.1.2.3.1),
      // not a character.
      int n = unpacked.length;
      if (n > 0 && (length * 8 - fillBits) % 7 == 0 && unpacked[n - 1] == 0x0D) {
        n--;
      }
      return Gsm7Alphabet.decode(unpacked, 0, n);
    }
    return switch (dataCoding) {
      case 0x01 -> new String(data, offset, length, StandardCharsets.US_ASCII);
      case 0x03 -> new String(data, offset, length, StandardCharsets.ISO_8859_1);
      case 0x08 -> ucs2(data, offset, length);
      default -> throw new IllegalArgumentException(
          String.format("unsupported data_coding 0x%02X", dataCoding));
    };
  }

  private static boolean isGsm7(int dataCoding) {
    // 0xF0-0xF3: message class group, bit 2 clear = default alphabet.
    return dataCoding == 0x00 || (dataCoding & 0xFC) == 0xF0;
  }

  /** Each pair of octets is one UTF-16 unit, kept as is: a surrogate pair cut across two parts
   *  becomes whole again when the parts' texts are joined. */
  private static String ucs2(byte[] data, int offset, int length) {
    if (length % 2 != 0) {
      throw new IllegalArgumentException("UCS-2 text has an odd number of octets (" + length + ")");
    }
    char[] out = new char[length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) (((data[offset + 2 * i] & 0xFF) << 8) | (data[offset + 2 * i + 1] & 0xFF));
    }
    return new String(out);
  }
}
