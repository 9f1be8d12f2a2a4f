package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The readings of an SMSC id a receipt may quote: as written, hex ↔ decimal, leading zeros. */
class SmscMessageIdTest {
  @Test
  void decimalIdAlsoReadsAsHex() {
    List<String> c = SmscMessageId.lookupCandidates("12345");
    assertEquals("12345", c.get(0), "as written first");
    assertTrue(c.contains("3039"), c.toString());
    assertTrue(c.contains("74565"), "also valid hex: its decimal reading " + c);
  }

  @Test
  void hexIdAlsoReadsAsDecimal() {
    List<String> c = SmscMessageId.lookupCandidates(" 3F2A ");
    assertEquals("3f2a", c.get(0), "trimmed and lower-cased");
    assertTrue(c.contains("16170"), c.toString());
  }

  @Test
  void leadingZerosAreTriedBothWays() {
    List<String> c = SmscMessageId.lookupCandidates("000123");
    assertTrue(c.contains("123"), c.toString());
    assertTrue(c.contains("7b"), c.toString());
    assertTrue(c.contains("00007b"), "hex padded to the original width " + c);
  }

  @Test
  void twentyDigitIdsWork() {
    List<String> c = SmscMessageId.lookupCandidates("18446744073709551615");
    assertTrue(c.contains("ffffffffffffffff"), c.toString());
  }

  @Test
  void anIdThatIsNoNumberIsOnlyItself() {
    assertEquals(List.of("msg-ab.7"), SmscMessageId.lookupCandidates("MSG-ab.7"));
  }

  @Test
  void noDuplicatesAndTooLongRefused() {
    List<String> c = SmscMessageId.lookupCandidates("7");
    assertEquals(c.stream().distinct().toList(), c);
    assertThrows(IllegalArgumentException.class,
        () -> SmscMessageId.lookupCandidates("1".repeat(66)));
  }
}
