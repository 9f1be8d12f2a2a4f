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
    return load(key, value, Map.of("IPSMGW_SMSC_PASSWORD", "s3cretPw"));
  }

  private static Config load(String key, String value, Map<String, String> env) {
    Properties p = new Properties();
    if (key != null) {
      p.setProperty(key, value);
    }
    return NodeConfig.load(null, env, p);
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
    assertEquals(8, s.deliverHandlers());
    assertEquals(100, s.deliverQueue(), "jsmpp's own default, documented");
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
    assertEquals("s3cretPw", s.password());
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "ipsmgw.smsc.binds                     | 0",
      "ipsmgw.smsc.window                    | 0",
      "ipsmgw.smsc.deliver-handlers          | 0",
      "ipsmgw.smsc.deliver-queue             | 0",
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

  /**
   * SMPP 3.4 §4.1.1: system_id, password and system_type are C-Octet Strings of at most 16, 9 and
   * 13 octets with the NUL. A longer one can never bind: the start stops naming the key and the
   * limit, never the value.
   */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "ipsmgw.smsc.system-id    | gw-0123456789abc  | 15",
      "ipsmgw.smsc.system-type  | VMA-012345678    | 12",
      "ipsmgw.smsc.password     | Pw9Secret        | 8",
      "ipsmgw.smsc.password     | pässwör          | 8",
  })
  void bindStringLongerThanSmppAllowsStopsTheStart(String key, String value, String limit) {
    StartupException e = assertThrows(StartupException.class, () -> load(key, value));
    assertTrue(e.getMessage().startsWith("configuration error: "), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains("at most " + limit + " "), e.getMessage());
    assertFalse(e.getMessage().contains(value), "the value is never shown: " + e.getMessage());
  }

  @Test
  void tooLongPasswordFromTheEnvironmentIsNamedButNotShown() {
    StartupException e = assertThrows(StartupException.class,
        () -> load(null, null, Map.of("IPSMGW_SMSC_PASSWORD", "Longer-Than-8")));
    assertTrue(e.getMessage().contains("ipsmgw.smsc.password"), e.getMessage());
    assertTrue(e.getMessage().contains("IPSMGW_SMSC_PASSWORD"), e.getMessage());
    assertFalse(e.getMessage().contains("Longer"), e.getMessage());
  }

  @Test
  void bindStringsAtTheirLimitsLoad() {
    Properties p = new Properties();
    p.setProperty("ipsmgw.smsc.system-id", "gw-0123456789ab");
    p.setProperty("ipsmgw.smsc.system-type", "VMA-01234567");
    SmscSettings s = SmscSettings.fromConfig(NodeConfig.load(null,
        Map.of("IPSMGW_SMSC_PASSWORD", "12345678"), p));
    assertEquals("gw-0123456789ab", s.systemId());
    assertEquals("VMA-01234567", s.systemType());
    assertEquals("12345678", s.password());
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
