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

  @Test
  void theDrainsRetryAfterDefaultsToFiveSecondsAndMustBeWholePositiveSeconds() {
    assertEquals(java.time.Duration.ofSeconds(5),
        SipSettings.fromConfig(edges("")).drainRetryAfter());
    assertEquals(SipSettings.DEFAULT_DRAIN_RETRY_AFTER,
        SipSettings.fromConfig(edges("")).drainRetryAfter());
    assertEquals(java.time.Duration.ofSeconds(30),
        SipSettings.fromConfig(edges("ipsmgw.sip.drain-retry-after = 30s")).drainRetryAfter());
    for (String bad : new String[] {"1500ms", "0s", "soon"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> SipSettings.fromConfig(edges("ipsmgw.sip.drain-retry-after = \"" + bad + "\"")));
      assertTrue(e.getMessage().contains("ipsmgw.sip.drain-retry-after"), e.getMessage());
    }
  }

  @Test
  void theInvitesInFlightDefaultTo500With2sRetryAfterAndABadValueNamesItsKey() {
    SipSettings defaults = SipSettings.fromConfig(edges(""));
    assertEquals(500, defaults.maxInvitesInFlight());
    assertEquals(SipSettings.DEFAULT_MAX_INVITES_IN_FLIGHT, defaults.maxInvitesInFlight());
    assertEquals(java.time.Duration.ofSeconds(2), defaults.busyRetryAfter());
    assertEquals(0, SipSettings.fromConfig(edges("ipsmgw.sip.max-invites-in-flight = 0"))
        .maxInvitesInFlight(), "0: no limit");
    for (String bad : new String[] {"-1", "many"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> SipSettings.fromConfig(
          edges("ipsmgw.sip.max-invites-in-flight = \"" + bad + "\"")));
      assertTrue(e.getMessage().contains("max-invites-in-flight"), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class,
        () -> SipSettings.fromConfig(edges("ipsmgw.sip.busy-retry-after = 1500ms")));
    assertTrue(e.getMessage().contains("ipsmgw.sip.busy-retry-after"), e.getMessage());
  }

  @Test
  void theEntityTimeoutOfOtherRequestsDefaultsToFiveSecondsAndABadValueNamesItsKey() {
    assertEquals(java.time.Duration.ofSeconds(5), SipSettings.fromConfig(edges(""))
        .entityTimeout());
    assertEquals(SipSettings.DEFAULT_ENTITY_TIMEOUT, SipSettings.fromConfig(edges(""))
        .entityTimeout());
    assertEquals(java.time.Duration.ofSeconds(12),
        SipSettings.fromConfig(edges("ipsmgw.sip.entity-timeout = 12s")).entityTimeout());
    for (String bad : new String[] {"0s", "-1s", "soon"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> SipSettings.fromConfig(edges("ipsmgw.sip.entity-timeout = \"" + bad + "\"")));
      assertTrue(e.getMessage().contains("ipsmgw.sip.entity-timeout"), e.getMessage());
    }
  }

  @Test
  void aPagerBatchIsGivenAgainAfterTwoSecondsAndAResendAtOrAfterTheDeadlineIsRefused() {
    assertEquals(java.time.Duration.ofSeconds(2), SipSettings.fromConfig(edges(""))
        .resendAfter());
    assertEquals(java.time.Duration.ZERO,
        SipSettings.fromConfig(edges("ipsmgw.sip.resend-after = 0s")).resendAfter());
    for (String bad : new String[] {"5s", "9s", "-1s", "2", "soon"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> SipSettings.fromConfig(edges("ipsmgw.sip.resend-after = \"" + bad + "\"")), bad);
      assertTrue(e.getMessage().contains("ipsmgw.sip.resend-after"), e.getMessage());
    }
    assertEquals(java.time.Duration.ofSeconds(5), SipSettings.fromConfig(edges(
        "ipsmgw.sip.resend-after = 5s\nipsmgw.sip.entity-timeout = 8s")).resendAfter());
  }

  @Test
  void theInviteTimeoutDefaultsToFifteenSecondsAndEndsBeforeTheCallersInviteTimesOut() {
    assertEquals(SipSettings.DEFAULT_INVITE_TIMEOUT,
        SipSettings.fromConfig(edges("")).inviteTimeout());
    assertEquals(java.time.Duration.ofSeconds(15), SipSettings.DEFAULT_INVITE_TIMEOUT);
    assertEquals(java.time.Duration.ofSeconds(20),
        SipSettings.fromConfig(edges("ipsmgw.sip.invite-timeout = 20s")).inviteTimeout());
    assertEquals(java.time.Duration.ofSeconds(15), SipSettings.fromConfig(edges(
        "ipsmgw.sip.t1 = 50ms")).inviteTimeout(), "the gateway's own T1 does not bound it");
    for (String bad : new String[] {"32s", "0s", "soon"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> SipSettings.fromConfig(
          edges("ipsmgw.sip.invite-timeout = \"" + bad + "\"")));
      assertTrue(e.getMessage().contains("ipsmgw.sip.invite-timeout"), e.getMessage());
    }
  }
}
