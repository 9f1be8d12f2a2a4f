package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MsrpSettingsTest {
  private static Config edges(String override) {
    return ConfigFactory.parseString(override)
        .withFallback(ConfigFactory.parseFile(Path.of("conf/edges.conf").toFile())).resolve();
  }

  @Test
  void aSendIsGivenToItsChatAgainAfterTwoSecondsOfTheSixItWaits() {
    MsrpSettings s = MsrpSettings.fromConfig(edges(""));
    assertEquals(Duration.ofSeconds(2), s.resendAfter());
    assertEquals(Duration.ofSeconds(6), s.entityTimeout());
    assertEquals(Duration.ZERO,
        MsrpSettings.fromConfig(edges("ipsmgw.msrp.resend-after = 0s")).resendAfter());
    assertEquals(Duration.ofMillis(500),
        MsrpSettings.fromConfig(edges("ipsmgw.msrp.resend-after = 500ms")).resendAfter());
  }

  @Test
  void aResendAtOrAfterTheDeadlineOrWithoutAUnitIsRefusedNamingItsKey() {
    for (String bad : new String[] {"6s", "10s", "-1s", "2", "soon"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> MsrpSettings.fromConfig(
          edges("ipsmgw.msrp.resend-after = \"" + bad + "\"")), bad);
      assertTrue(e.getMessage().contains("ipsmgw.msrp.resend-after"), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> MsrpSettings.fromConfig(
        edges("ipsmgw.msrp.resend-after = 3s\nipsmgw.msrp.entity-timeout = 3s")));
    assertTrue(e.getMessage().contains("shorter than ipsmgw.msrp.entity-timeout = 3s"),
        e.getMessage());
  }
}
