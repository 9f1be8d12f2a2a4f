package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ipsmgw.sip.t1 and t2, as conf/edges.conf documents them. */
class SipTimerSettingsTest {
  private static Config edges(String override) {
    return ConfigFactory.parseString(override)
        .withFallback(ConfigFactory.parseFile(Path.of("conf/edges.conf").toFile())).resolve();
  }

  @Test
  void t2DefaultsToFourSecondsAndCanBeSet() {
    assertEquals(Duration.ofSeconds(4), SipSettings.fromConfig(edges("")).t2());
    assertEquals(Duration.ofMillis(500), SipSettings.fromConfig(edges("")).t1());
    assertEquals(Duration.ofSeconds(2),
        SipSettings.fromConfig(edges("ipsmgw.sip.t2 = 2s")).t2());
  }

  @Test
  void t2ShorterThanT1IsAConfigurationErrorNamingBoth() {
    ConfigException e = assertThrows(ConfigException.class, () -> SipSettings.fromConfig(
        edges("ipsmgw.sip.t1 = 1s\nipsmgw.sip.t2 = 500ms")));
    assertTrue(e.getMessage().contains("ipsmgw.sip.t2") && e.getMessage().contains("ipsmgw.sip.t1"),
        e.getMessage());
  }

  @Test
  void t2MustSayItsUnit() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SipSettings.fromConfig(edges("ipsmgw.sip.t2 = 4")));
    assertTrue(e.getMessage().contains("ipsmgw.sip.t2") && e.getMessage().contains("unit"),
        e.getMessage());
    assertThrows(ConfigException.class,
        () -> SipSettings.fromConfig(edges("ipsmgw.sip.t2 = 0s")));
  }
}
