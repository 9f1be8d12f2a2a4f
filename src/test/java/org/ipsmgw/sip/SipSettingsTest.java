package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SipSettingsTest {
  private static Config edges(String override) {
    return ConfigFactory.parseString(override)
        .withFallback(ConfigFactory.parseFile(Path.of("conf/edges.conf").toFile())).resolve();
  }

  @Test
  void theLongestCallIdDefaultsTo200AndLeavesRoomInTheJournalsPersistenceId() {
    assertEquals(200, SipSettings.fromConfig(edges("")).maxCallIdLength());
    assertEquals(255, "ChatSession|".length() + SipSettings.LONGEST_STORABLE_CALL_ID);
    assertEquals(243, SipSettings.fromConfig(edges("ipsmgw.sip.max-call-id-length = 243"))
        .maxCallIdLength());
  }

  @Test
  void aLimitTheJournalCannotHoldIsAConfigurationError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SipSettings.fromConfig(edges("ipsmgw.sip.max-call-id-length = 244")));
    assertTrue(e.getMessage().contains("ipsmgw.sip.max-call-id-length"), e.getMessage());
    assertThrows(ConfigException.class,
        () -> SipSettings.fromConfig(edges("ipsmgw.sip.max-call-id-length = 0")));
  }
}
