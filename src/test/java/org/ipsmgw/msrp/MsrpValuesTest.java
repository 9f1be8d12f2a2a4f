package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Byte-Range and MSRP URI values. */
class MsrpValuesTest {
  @Test
  void byteRanges() {
    assertEquals(new ByteRange(1, 25, 25), ByteRange.parse("1-25/25"));
    assertEquals(new ByteRange(2049, -1, -1), ByteRange.parse("2049-*/*"));
    assertEquals("1-0/0", ByteRange.whole(0).toString());
    assertEquals("2049-*/*", ByteRange.parse("2049-*/*").toString());
    assertThrows(IllegalArgumentException.class, () -> ByteRange.parse("0-5/5"));
    assertThrows(IllegalArgumentException.class, () -> ByteRange.parse("1-9/5"));
    assertThrows(IllegalArgumentException.class, () -> ByteRange.parse("one-two"));
  }

  @Test
  void uris() {
    MsrpUri u = MsrpUri.parse("msrp://alice.example.com:7394/2s93i9ek2a;tcp");
    assertEquals(new MsrpUri("alice.example.com", 7394, "2s93i9ek2a", "tcp"), u);
    assertEquals("msrp://alice.example.com:7394/2s93i9ek2a;tcp", u.toString());
    assertEquals("s1", MsrpUri.parse("msrp://[::1]:2855/s1;TCP").sessionId());
    assertThrows(IllegalArgumentException.class,
        () -> MsrpUri.parse("msrp://host/no-port;tcp"));
    assertThrows(IllegalArgumentException.class, () -> MsrpUri.parse("sip:bob@example.com"));
  }
}
