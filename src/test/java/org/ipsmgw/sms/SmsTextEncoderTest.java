package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Segmentation boundaries of TS 23.040 §9.2.3.24.1, with ESC pairs and surrogate pairs whole. */
class SmsTextEncoderTest {
  private static final SmsTextEncoder UDH8 = new SmsTextEncoder(ConcatenationMode.UDH_8BIT, false);
  private static final SmsTextEncoder UDH16 =
      new SmsTextEncoder(ConcatenationMode.UDH_16BIT, false);

  private static List<Integer> sizes(EncodedMessage m) {
    return m.segments().stream().map(s -> s.payload().length).toList();
  }

  @Test
  void gsm160IsOneSms161IsTwo() {
    EncodedMessage single = UDH8.encode("a".repeat(160), 1);
    assertEquals(SmsEncoding.GSM7, single.encoding());
    assertEquals(List.of(160), sizes(single));
    assertNull(single.segments().get(0).userDataHeader());
    assertFalse(single.udhIndicator());
    EncodedMessage two = UDH8.encode("a".repeat(161), 1);
    assertEquals(List.of(153, 8), sizes(two));
    assertTrue(two.udhIndicator());
  }

  @Test
  void gsm153And154SeptetPartsWithUdh() {
    assertEquals(List.of(153, 153), sizes(UDH8.encode("b".repeat(306), 9)));
    assertEquals(List.of(153, 153, 1), sizes(UDH8.encode("b".repeat(307), 9)));
  }

  @Test
  void extensionCharacterOnThePartBoundaryMovesWhole() {
    // 152 plain septets, then '€' (2 septets) would straddle 153/154: it starts part 2.
    String text = "c".repeat(152) + "€" + "d".repeat(10);
    EncodedMessage m = UDH8.encode(text, 1);
    assertEquals(List.of(152, 12), sizes(m));
    assertEquals("c".repeat(152), m.segments().get(0).text());
    assertEquals("€" + "d".repeat(10), m.segments().get(1).text());
    // A 160-septet text whose last character is an extension is still one SMS.
    assertEquals(1, UDH8.partCount("e".repeat(158) + "€"));
    assertEquals(2, UDH8.partCount("e".repeat(159) + "€"));
  }

  @Test
  void sixteenBitReferenceParts() {
    EncodedMessage gsm = UDH16.encode("f".repeat(305), 0x1234);
    assertEquals(List.of(152, 152, 1), sizes(gsm));
    assertArrayEquals(new byte[] {6, 8, 4, 0x12, 0x34, 3, 2},
        gsm.segments().get(1).userDataHeader());
    EncodedMessage ucs = UDH16.encode("ж".repeat(133), 7);
    assertEquals(List.of(132, 132, 2), sizes(ucs), "66 units (132 octets) per part");
  }

  @Test
  void ucs2Is70SingleAnd67PerPart() {
    EncodedMessage single = UDH8.encode("ж".repeat(70), 1);
    assertEquals(SmsEncoding.UCS2, single.encoding());
    assertEquals(List.of(140), sizes(single));
    EncodedMessage two = UDH8.encode("ж".repeat(71), 1);
    assertEquals(List.of(134, 8), sizes(two), "67 + 4 units");
  }

  @Test
  void emojiAcrossThe67UnitBoundaryMovesWhole() {
    String text = "ж".repeat(66) + "😀" + "ж".repeat(5);
    EncodedMessage m = UDH8.encode(text, 1);
    assertEquals(List.of(132, 14), sizes(m), "66 units, then the pair and 5");
    assertTrue(m.segments().get(1).text().startsWith("😀"));
    assertEquals(1, UDH8.partCount("ж".repeat(68) + "😀"), "exactly 70 units");
    assertEquals(2, UDH8.partCount("ж".repeat(69) + "😀"), "71 units");
  }

  @Test
  void partsShareOneReferenceAndNumberThemselves() {
    EncodedMessage m = UDH8.encode("g".repeat(500), 300);
    assertEquals(300 & 0xFF, m.reference(), "8-bit reference masked");
    for (int i = 0; i < m.partCount(); i++) {
      Segment s = m.segments().get(i);
      assertArrayEquals(new byte[] {5, 0, 3, (byte) (300 & 0xFF), (byte) m.partCount(),
          (byte) (i + 1)}, s.userDataHeader());
      assertEquals(i + 1, s.seq());
      assertEquals(m.partCount(), s.total());
      assertArrayEquals(concat(s.userDataHeader(), s.payload()), s.shortMessage());
    }
  }

  @Test
  void emptyTextIsOneEmptyGsmSms() {
    EncodedMessage m = UDH8.encode("", 1);
    assertEquals(SmsEncoding.GSM7, m.encoding());
    assertEquals(List.of(0), sizes(m));
  }

  @Test
  void moreThan255PartsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UDH8.partCount("h".repeat(153 * 255 + 1)));
    assertTrue(e.getMessage().contains("256"), e.getMessage());
    assertEquals(255, UDH8.partCount("h".repeat(153 * 255)));
  }

  @Test
  void payloadAndSarModesCountLikeEightBitUdh() {
    SmsTextEncoder payload = new SmsTextEncoder(ConcatenationMode.MESSAGE_PAYLOAD, false);
    SmsTextEncoder sar = new SmsTextEncoder(ConcatenationMode.SAR_TLV, false);
    String text = "i".repeat(400);
    assertEquals(3, payload.partCount(text));
    assertEquals(1, payload.encode(text, 1).partCount(), "one PDU, the SMSC segments");
    EncodedMessage s = sar.encode(text, 1);
    assertEquals(3, s.partCount());
    assertFalse(s.udhIndicator(), "SAR carries no UDH");
  }

  @Test
  void everyPartDecodesBackToTheText() {
    Random random = new Random(20261124);
    String alphabet = "abc XYZ 0123 @£$¥èé{}[]~^|\\€\n" + "жπ中😀é";
    for (SmsTextEncoder encoder : List.of(UDH8, UDH16,
        new SmsTextEncoder(ConcatenationMode.UDH_8BIT, true),
        new SmsTextEncoder(ConcatenationMode.UDH_16BIT, true))) {
      for (int round = 0; round < 200; round++) {
        boolean gsmOnly = random.nextBoolean();
        int limit = gsmOnly ? alphabet.indexOf('ж') : alphabet.length();
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(600);
        while (b.length() < length) {
          int at = random.nextInt(limit);
          char c = alphabet.charAt(at);
          if (Character.isHighSurrogate(c)) {
            b.append(c).append(alphabet.charAt(at + 1));
          } else if (!Character.isLowSurrogate(c)) {
            b.append(c);
          }
        }
        String text = b.toString();
        EncodedMessage m = encoder.encode(text, round);
        assertEquals(encoder.partCount(text), m.partCount());
        StringBuilder back = new StringBuilder();
        for (Segment s : m.segments()) {
          int fill = s.userDataHeader() == null ? 0 : (7 - s.userDataHeader().length * 8 % 7) % 7;
          boolean packed = encoder != UDH8 && encoder != UDH16;
          back.append(SmsTextDecoder.decode(m.encoding().dataCoding(), s.payload(), 0,
              s.payload().length, packed, fill));
          assertEquals(s.text(), SmsTextDecoder.decode(m.encoding().dataCoding(), s.payload(),
              0, s.payload().length, packed, fill));
        }
        assertEquals(text, back.toString());
      }
    }
  }

  @Test
  void thousandCharacterMixedTextRoundTripsInUcs2() {
    StringBuilder b = new StringBuilder();
    while (b.length() < 1000) {
      b.append("Grüße, мир! 😀 ");
    }
    String text = b.substring(0, 1000);
    if (Character.isHighSurrogate(text.charAt(999))) {
      text = text.substring(0, 999) + "!";
    }
    EncodedMessage m = UDH8.encode(text, 5);
    assertEquals(SmsEncoding.UCS2, m.encoding());
    StringBuilder back = new StringBuilder();
    for (Segment s : m.segments()) {
      assertTrue(s.payload().length <= 134);
      assertFalse(Character.isHighSurrogate(s.text().charAt(s.text().length() - 1)),
          "no part ends inside a surrogate pair");
      back.append(SmsTextDecoder.decode(8, s.payload(), 0, s.payload().length, false, 0));
    }
    assertEquals(text, back.toString());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
