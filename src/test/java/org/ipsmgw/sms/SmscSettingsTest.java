package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.StartupException;
import org.ipsmgw.subscriber.MoSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The SMPP edge's configuration: documented defaults, secrets kept out, bad values named. */
class SmscSettingsTest {

  private static Config load(String key, String value) {
    Properties p = new Properties();
    if (key != null) {
      p.setProperty(key, value);
    }
    return NodeConfig.load(null, Map.of("IPSMGW_SMSC_PASSWORD", "s3cret-smpp"), p);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SmscSettings s = SmscSettings.fromConfig(load(null, null));
    assertTrue(s.enabled());
    assertEquals("127.0.0.1", s.host());
    assertEquals(2775, s.port());
    assertEquals("ipsmgw", s.systemId());
    assertEquals(1, s.binds());
    assertEquals(10, s.window());
    assertEquals(ConcatenationMode.UDH_8BIT, s.concatenation());
    assertFalse(s.gsm7Packed());
    assertEquals(5, s.retryBudget());
    assertEquals(Duration.ofSeconds(60), s.unboundWait());
    assertEquals(Duration.ofSeconds(5), s.moHandoverTimeout());
    assertTrue(s.readinessRequiresBind());
    MoSettings mo = MoSettings.fromConfig(load(null, null));
    assertEquals(Duration.ofSeconds(60), mo.timeout());
    assertTrue(mo.deliverPartial());
    assertEquals(Duration.ofSeconds(4), mo.handoverTimeout(), "inside the gateway's 5 s");
  }

  @Test
  void passwordComesFromTheEnvironmentAndNeverIntoToString() {
    SmscSettings s = SmscSettings.fromConfig(load(null, null));
    assertEquals("s3cret-smpp", s.password());
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "ipsmgw.smsc.binds                     | 0",
      "ipsmgw.smsc.window                    | 0",
      "ipsmgw.smsc.address-ton               | 7",
      "ipsmgw.smsc.concatenation             | udh-32bit",
      "ipsmgw.smsc.retry.budget              | 0",
      "ipsmgw.smsc.unbound-wait              | 0s",
      "ipsmgw.smsc.receipt-zone              | Mars/Olympus",
      "ipsmgw.smsc.mo-reassembly.on-timeout  | keep",
      "ipsmgw.smsc.mo-reassembly.timeout     | 0s",
  })
  void badValueStopsTheStartNamingItsKey(String key, String value) {
    StartupException e = assertThrows(StartupException.class, () -> load(key, value));
    assertTrue(e.getMessage().startsWith("configuration error: "), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void everyConcatenationModeHasItsName() {
    assertEquals(ConcatenationMode.UDH_16BIT, SmscSettings.fromConfig(
        load("ipsmgw.smsc.concatenation", "udh-16bit")).concatenation());
    assertEquals(ConcatenationMode.SAR_TLV, SmscSettings.fromConfig(
        load("ipsmgw.smsc.concatenation", "sar")).concatenation());
    assertEquals(ConcatenationMode.MESSAGE_PAYLOAD, SmscSettings.fromConfig(
        load("ipsmgw.smsc.concatenation", "payload")).concatenation());
  }
}
