package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MO text by data_coding, including the odd cases real handsets send. */
class SmsTextDecoderTest {
  @Test
  void gsmInTheMessageClassGroupIsRead() {
    byte[] septets = Gsm7Alphabet.encode("class 1");
    assertEquals("class 1", SmsTextDecoder.decode(0xF1, septets, 0, septets.length, false, 0));
  }

  @Test
  void surrogatePairSplitAcrossTwoMoPartsRejoins() {
    byte[] emoji = "😀".getBytes(StandardCharsets.UTF_16BE);
    String first = SmsTextDecoder.decode(8, emoji, 0, 2, false, 0);
    String second = SmsTextDecoder.decode(8, emoji, 2, 2, false, 0);
    assertEquals("😀", first + second);
  }

  @Test
  void packedTextWithSevenSpareBitsDropsTheCrPad() {
    // 7 septets fill 49 bits: the 7 spare bits of the 7th octet carry CR (23.038 §6.1.2.3.1).
    byte[] septets = Gsm7Alphabet.encode("1234567\r");
    byte[] packed = Gsm7Alphabet.pack(septets, 0);
    assertEquals(7, packed.length);
    assertEquals("1234567", SmsTextDecoder.decode(0, packed, 0, packed.length, true, 0));
  }

  @Test
  void unreadableTextIsRefusedWithAReason() {
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> SmsTextDecoder.decode(8, new byte[3], 0, 3, false, 0));
    assertTrue(odd.getMessage().contains("odd number of octets"), odd.getMessage());
    IllegalArgumentException dcs = assertThrows(IllegalArgumentException.class,
        () -> SmsTextDecoder.decode(0x04, new byte[2], 0, 2, false, 0));
    assertEquals("unsupported data_coding 0x04", dcs.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SmsTextDecoder.decode(0, new byte[] {(byte) 0xC1}, 0, 1, false, 0));
  }
}
