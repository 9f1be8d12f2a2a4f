package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SEND pace of ChatSteady: off by default, said in the run's settings line, bounded. */
class LoadConfigTest {
  @AfterEach
  void clear() {
    System.clearProperty("load.send-pace-ms");
    System.clearProperty("load.chats");
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
    for (String bad : new String[] {"-1", "60001", "soon"}) {
      System.setProperty("load.send-pace-ms", bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          LoadConfig::fromSystemProperties);
      assertTrue(e.getMessage().contains("load.send-pace-ms"), e.getMessage());
    }
  }
}
