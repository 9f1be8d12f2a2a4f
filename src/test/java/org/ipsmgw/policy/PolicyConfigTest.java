package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyConfigTest {

  @Test
  void shippedPolicyHasTheDocumentedDefaults() {
    OperatorPolicy p = PolicyFixtures.policy("");
    assertEquals(InvitationAction.INVITE_BY_SMS, p.defaultInvitation());
    assertTrue(p.userPreferenceWins());
    assertEquals(603, p.rejectStatus());
    assertEquals(480, p.expiryStatus());
    assertEquals(Duration.ofSeconds(120), p.replyWindow());
    assertEquals(Duration.ofSeconds(50), p.provisionalRefresh());
    assertEquals(Duration.ofMinutes(30), p.idleTimeout());
    assertEquals(OtherReplyHandling.ASK_AGAIN, p.otherReply());
    assertTrue(p.anonymityAllowed());
    assertEquals(CorrelationMode.CPM_MSISDN, p.correlation().mode());
    assertEquals(10, p.correlation().pool().size());
    assertEquals("YES", p.keywords().firstAccept("en"));
  }

  /** Each bad value is refused with a message that names its key. */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "default-invitation | MAYBE",
      "reject-status | 302",
      "reject-status | 401",
      "expiry-status | 700",
      "provisional-refresh | 61s",
      "reply-window | 0s",
      "idle-timeout | -1m",
      "other-reply | IGNORE",
      "correlation.mode | RANDOM",
      "correlation.pool | [\"12ab\"]",
      "correlation.pool | [\"+447700900100\", \"447700900100\"]",
      "texts.invitation | \"Hi {foo}\"",
      "texts.teardown | \" \"",
      "language | es",
      "keywords.en.accept | []",
  })
  void badValueNamesItsKey(String key, String value) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PolicyFixtures.policy("ipsmgw.policy." + key + " = " + value));
    assertTrue(e.getMessage().contains(key.contains(".") ? key.substring(key.indexOf('.') + 1)
        : key), e.getMessage());
  }

  @Test
  void poolModeNeedsNumbers() {
    ConfigException e = assertThrows(ConfigException.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.correlation { mode = POOL, pool = [] }"));
    assertTrue(e.getMessage().contains("correlation.pool"), e.getMessage());
  }

  @Test
  void aWordCannotBothAcceptAndDecline() {
    ConfigException e = assertThrows(ConfigException.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.keywords.de.decline = [\"NEIN\", \"yes\"]"));
    // Reported on whichever list is read second; either way the word and the clash are named.
    assertTrue(e.getMessage().matches(
        ".*ipsmgw\\.policy\\.keywords\\.(en\\.accept|de\\.decline).*'YES' is also a (decline|accept) keyword.*"),
        e.getMessage());
  }
}
