package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every code point of GSM 03.38's default alphabet and extension table, and everything else. */
class Gsm7AlphabetTest {
  /** TS 23.038 §6.2.1, written out independently of the implementation's table. */
  private static final String[] BASIC = {
      "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
      "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", null, "Æ", "æ", "ß", "É",
      " ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
      "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
      "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
      "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
      "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
      "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à"};
  private static final Map<Character, Integer> EXTENSION = Map.of('\f', 0x0A, '^', 0x14,
      '{', 0x28, '}', 0x29, '\\', 0x2F, '[', 0x3C, '~', 0x3D, ']', 0x3E, '|', 0x40, '€', 0x65);

  @Test
  void everyBasicCharacterIsOneSeptetWithItsCode() {
    for (int code = 0; code < 128; code++) {
      if (BASIC[code] == null) {
        continue;
      }
      char c = BASIC[code].charAt(0);
      assertEquals(1, Gsm7Alphabet.septetsOf(c), "U+" + Integer.toHexString(c));
      assertArrayEquals(new byte[] {(byte) code}, Gsm7Alphabet.encode(BASIC[code]), BASIC[code]);
      assertEquals(BASIC[code], Gsm7Alphabet.decode(new byte[] {(byte) code}, 0, 1));
    }
  }

  @Test
  void everyExtensionCharacterIsEscapePlusItsCode() {
    EXTENSION.forEach((c, code) -> {
      assertEquals(2, Gsm7Alphabet.septetsOf(c), "U+" + Integer.toHexString(c));
      byte[] septets = {0x1B, (byte) (int) code};
      assertArrayEquals(septets, Gsm7Alphabet.encode(String.valueOf(c)));
      assertEquals(String.valueOf(c), Gsm7Alphabet.decode(septets, 0, 2));
    });
  }

  @Test
  void everyOtherBmpCharacterIsNotRepresentable() {
    Map<Character, Boolean> known = new HashMap<>();
    for (String s : BASIC) {
      if (s != null) {
        known.put(s.charAt(0), true);
      }
    }
    EXTENSION.keySet().forEach(c -> known.put(c, true));
    int representable = 0;
    for (int cp = 0; cp <= 0xFFFF; cp++) {
      boolean expected = known.containsKey((char) cp);
      assertEquals(expected ? (EXTENSION.containsKey((char) cp) ? 2 : 1) : -1,
          Gsm7Alphabet.septetsOf(cp), String.format("U+%04X", cp));
      representable += expected ? 1 : 0;
    }
    assertEquals(127 + 10, representable, "127 basic characters (ESC is none) and 10 extensions");
  }

  @Test
  void asciiLookalikesThatAreNotGsmChooseUcs2() {
    for (String s : new String[] {"`", "\u00A0", "ç", "Привет", "😀", "\u0000"}) {
      assertFalse(Gsm7Alphabet.isRepresentable(s), s);
    }
    assertEquals(-1, Gsm7Alphabet.septetsOf(0x1F600), "no code point beyond the BMP");
  }

  @Test
  void septetsCountExtensionsTwiceAndNameTheFirstBadCharacter() {
    assertEquals(6, Gsm7Alphabet.septets("a€b{"), "1 + 2 + 1 + 2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gsm7Alphabet.septets("ok`no"));
    assertTrue(e.getMessage().contains("U+0060 at index 2"), e.getMessage());
  }

  @Test
  void decodeToleratesWhatTheStandardSaysToShow() {
    assertEquals("A ", Gsm7Alphabet.decode(new byte[] {0x41, 0x1B}, 0, 2), "trailing ESC");
    assertEquals("A", Gsm7Alphabet.decode(new byte[] {0x1B, 0x41}, 0, 2),
        "ESC + unknown code shows the basic character");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gsm7Alphabet.decode(new byte[] {0x41, (byte) 0x80}, 0, 2));
    assertTrue(e.getMessage().contains("0x80"), e.getMessage());
  }

  @Test
  void packsTheKnownVector() {
    byte[] packed = Gsm7Alphabet.pack(Gsm7Alphabet.encode("hellohello"), 0);
    assertEquals("e8329bfd4697d9ec37", HexFormat.of().formatHex(packed));
    assertEquals("hellohello", Gsm7Alphabet.decode(
        Gsm7Alphabet.unpack(packed, 0, packed.length, 0, 10), 0, 10));
  }

  @Test
  void packAndUnpackRoundTripForEveryFillAndLength() {
    StringBuilder text = new StringBuilder();
    for (int n = 0; n < 40; n++) {
      byte[] septets = Gsm7Alphabet.encode(text);
      for (int fill = 0; fill < 7; fill++) {
        byte[] packed = Gsm7Alphabet.pack(septets, fill);
        assertEquals((fill + septets.length * 7 + 7) / 8, packed.length);
        assertArrayEquals(septets, Gsm7Alphabet.unpack(packed, 0, packed.length, fill,
            septets.length), "n=" + n + " fill=" + fill);
      }
      text.append((char) ('a' + n % 26));
    }
  }

  @Test
  void unpackRefusesMoreSeptetsThanTheOctetsHold() {
    assertThrows(IllegalArgumentException.class,
        () -> Gsm7Alphabet.unpack(new byte[7], 0, 7, 1, 8));
  }
}
