package org.ipsmgw.sms;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a chat text into SMS parts (3GPP TS 23.040 §9.2.3.24.1): GSM-7 when every character is
 * in GSM 03.38 (160 septets single, 153 / 152 per part), else UCS-2 (70 units, 67 / 66 per part).
 * An extension character (ESC pair) and a surrogate pair are never split across parts.
 */
public final class SmsTextEncoder {
  private static final int MAX_PARTS = 255;
  private static final int SINGLE_GSM7 = 160;
  private static final int SINGLE_UCS2 = 70;

  private final ConcatenationMode mode;
  private final boolean packGsm7;

  public SmsTextEncoder(ConcatenationMode mode, boolean packGsm7) {
    this.mode = mode;
    this.packGsm7 = packGsm7;
  }

  /** How many SMS the text becomes (MESSAGE_PAYLOAD: how many the SMSC will make of it). */
  public int partCount(String text) {
    return cut(text).size();
  }

  /**
   * As {@link #partCount}, but also for a text beyond what one concatenated SMS can number (255
   * parts), so a budget can refuse it by its size rather than by an exception.
   */
  public int countParts(String text) {
    return pieces(text).size();
  }

  public EncodedMessage encode(String text, int reference) {
    SmsEncoding encoding = Gsm7Alphabet.isRepresentable(text) ? SmsEncoding.GSM7
        : SmsEncoding.UCS2;
    int ref = reference & (mode == ConcatenationMode.UDH_16BIT ? 0xFFFF : 0xFF);
    List<String> pieces = cut(text);
    if (mode == ConcatenationMode.MESSAGE_PAYLOAD) {
      return new EncodedMessage(encoding, mode, ref,
          List.of(new Segment(1, 1, null, payload(text, encoding, 0), text)));
    }
    int total = pieces.size();
    boolean udh = total > 1
        && (mode == ConcatenationMode.UDH_8BIT || mode == ConcatenationMode.UDH_16BIT);
    List<Segment> parts = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      byte[] header = udh ? UserDataHeader.concat(ref, total, i + 1,
          mode == ConcatenationMode.UDH_16BIT) : null;
      int fill = header == null ? 0 : (7 - (header.length * 8) % 7) % 7;
      parts.add(new Segment(i + 1, total, header, payload(pieces.get(i), encoding, fill),
          pieces.get(i)));
    }
    return new EncodedMessage(encoding, mode, ref, parts);
  }

  private byte[] payload(String piece, SmsEncoding encoding, int fillBits) {
    if (encoding == SmsEncoding.UCS2) {
      byte[] out = new byte[piece.length() * 2];
      for (int i = 0; i < piece.length(); i++) {
        out[2 * i] = (byte) (piece.charAt(i) >> 8);
        out[2 * i + 1] = (byte) piece.charAt(i);
      }
      return out;
    }
    byte[] septets = Gsm7Alphabet.encode(piece);
    if (!packGsm7) {
      return septets;
    }
    if ((fillBits + septets.length * 7) % 8 == 1) {
      // 7 spare bits would read as '@': TS 23.038 §6.1.2.3.1 fills them with CR instead.
      septets = java.util.Arrays.copyOf(septets, septets.length + 1);
      septets[septets.length - 1] = 0x0D;
    }
    return Gsm7Alphabet.pack(septets, fillBits);
  }

  /** The text's characters per part. */
  private List<String> cut(String text) {
    List<String> pieces = pieces(text);
    if (pieces.size() > MAX_PARTS) {
      throw new IllegalArgumentException("text needs " + pieces.size()
          + " SMS parts; a concatenated SMS has at most " + MAX_PARTS);
    }
    return pieces;
  }

  private List<String> pieces(String text) {
    boolean gsm = Gsm7Alphabet.isRepresentable(text);
    int single = gsm ? SINGLE_GSM7 : SINGLE_UCS2;
    int size = gsm ? Gsm7Alphabet.septets(text) : text.length();
    if (size <= single) {
      return List.of(text);
    }
    int perPart = mode == ConcatenationMode.UDH_16BIT ? single - (gsm ? 8 : 4)
        : single - (gsm ? 7 : 3);
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int used = 0;
      int end = start;
      while (end < text.length()) {
        char c = text.charAt(end);
        int cost;
        int width = 1;
        if (gsm) {
          cost = Gsm7Alphabet.septetsOf(c);
        } else if (Character.isHighSurrogate(c) && end + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(end + 1))) {
          cost = 2;
          width = 2;
        } else {
          cost = 1;
        }
        if (used + cost > perPart) {
          break;
        }
        used += cost;
        end += width;
      }
      pieces.add(text.substring(start, end));
      start = end;
    }
    return pieces;
  }
}
