package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** UDH concat IEs (TS 23.040 §9.2.3.24.1 and .8) as built and as read from MO. */
class UserDataHeaderTest {
  @Test
  void readsWhatItBuilds() {
    assertEquals(Optional.of(new ConcatInfo(0xAB, 4, 3, false)),
        UserDataHeader.findConcat(UserDataHeader.concat(0xAB, 4, 3, false)));
    assertEquals(Optional.of(new ConcatInfo(0xBEEF, 2, 2, true)),
        UserDataHeader.findConcat(UserDataHeader.concat(0xBEEF, 2, 2, true)));
    assertEquals(6, UserDataHeader.headerLength(UserDataHeader.concat(1, 2, 1, false)));
    assertEquals(7, UserDataHeader.headerLength(UserDataHeader.concat(1, 2, 1, true)));
  }

  @Test
  void skipsUnknownElementsBeforeTheConcatOne() {
    // UDHL 11: port addressing IE (0x05, 4 octets), then concat 8-bit.
    byte[] udh = {11, 0x05, 0x04, 0x0B, (byte) 0x84, 0x23, (byte) 0xF0, 0x00, 0x03, 0x11, 2, 1,
        0x41};
    assertEquals(Optional.of(new ConcatInfo(0x11, 2, 1, false)), UserDataHeader.findConcat(udh));
  }

  @Test
  void ignoresConcatElementsTheStandardSaysToIgnore() {
    assertEquals(Optional.empty(), UserDataHeader.findConcat(new byte[] {5, 0, 3, 1, 0, 1}),
        "total 0");
    assertEquals(Optional.empty(), UserDataHeader.findConcat(new byte[] {5, 0, 3, 1, 2, 0}),
        "seq 0");
    assertEquals(Optional.empty(), UserDataHeader.findConcat(new byte[] {5, 0, 3, 1, 2, 3}),
        "seq > total");
  }

  @Test
  void refusesHeadersThatRunPastTheirData() {
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> UserDataHeader.findConcat(new byte[] {9, 0, 3, 1}));
    assertTrue(past.getMessage().contains("malformed user data header"), past.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> UserDataHeader.findConcat(new byte[] {3, 0, 5, 1}), "IE longer than the header");
    assertThrows(IllegalArgumentException.class,
        () -> UserDataHeader.findConcat(new byte[] {1, 0}), "IE header cut short");
    assertThrows(IllegalArgumentException.class, () -> UserDataHeader.headerLength(new byte[0]));
  }
}
