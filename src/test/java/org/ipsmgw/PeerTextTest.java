package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PeerTextTest {
  @Test
  void aLineBreakCannotStartAForgedLogLine() {
    assertEquals("alice\\x0A2026-11-24 INFO forged",
        PeerText.bounded("alice\n2026-11-24 INFO forged"));
  }

  @Test
  void quotesBackslashesAndNonAsciiAreEscaped() {
    assertEquals("a\\x22b\\x5Cc\\xC3\\xA9", PeerText.bounded("a\"b\\cé"));
  }

  @Test
  void longTextIsCutAfterTheShownCharacters() {
    String shown = PeerText.bounded("y".repeat(1000));
    assertEquals("y".repeat(PeerText.SHOWN_CHARS) + "…", shown);
  }

  @Test
  void shortTextStaysWholeAndNullStaysNull() {
    assertEquals("Conv-1", PeerText.bounded("Conv-1"));
    assertNull(PeerText.bounded(null));
  }
}
