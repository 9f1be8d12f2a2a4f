package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SEND pace of ChatSteady and the texts' length: off by default, said in the run's settings
 * line, bounded.
 */
class LoadConfigTest {
  @AfterEach
  void clear() {
    System.clearProperty("load.send-pace-ms");
    System.clearProperty("load.chats");
    System.clearProperty("load.text-chars");
  }

  @Test
  void noPaceByDefault() {
    LoadConfig c = LoadConfig.fromSystemProperties();
    assertEquals(0, c.sendPaceMs());
    assertTrue(!c.describe().contains("a SEND every"), c.describe());
  }

  @Test
  void aPaceIsDescribedWithTheRateItOffers() {
    System.setProperty("load.chats", "50");
    System.setProperty("load.send-pace-ms", "25");
    LoadConfig c = LoadConfig.fromSystemProperties();
    assertEquals(25, c.sendPaceMs());
    assertTrue(c.describe().contains("a SEND every 25 ms per chat (2000/s offered"),
        c.describe());
  }

  @Test
  void aNegativeOrUnboundedPaceIsRefusedNamingItsKey() {
    assertRefusedNamingTheKey("load.send-pace-ms", "-1", "60001", "soon");
  }

  private static void assertRefusedNamingTheKey(String key, String... bad) {
    for (String value : bad) {
      System.setProperty(key, value);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          LoadConfig::fromSystemProperties);
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }

  @Test
  void textsAreTheTokenAloneByDefault() {
    LoadConfig c = LoadConfig.fromSystemProperties();
    assertEquals("load tk-7-m-3", c.text(Tokens.mt(7, 3)));
    assertTrue(!c.describe().contains("padded"), c.describe());
  }

  @Test
  void paddedTextsHaveTheLengthAskedAndTheirTokenFirst() {
    System.setProperty("load.text-chars", "120");
    LoadConfig c = LoadConfig.fromSystemProperties();
    String text = c.text(Tokens.mo(12, 345));
    assertEquals(120, text.length());
    assertEquals(Tokens.mo(12, 345), Tokens.find(text));
    assertTrue(text.startsWith("load tk-12-o-345 see you"), text);
    assertTrue(c.describe().contains("texts padded to 120 characters"), c.describe());
  }

  @Test
  void aTextLengthBeyondOneSmsIsRefusedNamingItsKey() {
    assertRefusedNamingTheKey("load.text-chars", "-1", "151", "long");
  }
}
