package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** conf/policy.conf as shipped, and every refusal of a bad value naming its key. */
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
    assertTrue(p.teardownSms());
    assertTrue(p.idleNoticeSms());
    assertFalse(p.withdrawnSms());
    assertEquals(CorrelationMode.CPM_MSISDN, p.correlation().mode());
    assertEquals(List.of("+447700900100", "+447700900101", "+447700900102", "+447700900103",
        "+447700900104", "+447700900105", "+447700900106", "+447700900107", "+447700900108",
        "+447700900109"), p.correlation().pool());
    assertEquals("en", p.language());
  }

  @Test
  void shippedKeywordsAndTexts() {
    OperatorPolicy p = PolicyFixtures.policy("");
    Keywords k = p.keywords();
    assertEquals(List.of("YES", "Y", "ACCEPT", "OK"), k.accept().get("en"));
    assertEquals(List.of("NO", "N", "DECLINE"), k.decline().get("en"));
    assertEquals(List.of("STOP", "END", "QUIT"), k.stop().get("en"));
    assertEquals(List.of("JA"), k.accept().get("de"));
    assertEquals(List.of("NON"), k.decline().get("fr"));
    assertEquals(List.of("ENDE"), k.stop().get("de"));
    assertEquals("Alice (+447700900555) invites you to chat. Reply YES to accept or NO to decline."
            + " Once chatting, send STOP to end.",
        p.render(p.texts().invitation(), "Alice", "+447700900555"));
    assertEquals("Reply YES to chat with Alice or NO to decline.",
        p.render(p.texts().askAgain(), "Alice", "+447700900555"));
    assertEquals("Alice has left the chat.", p.render(p.texts().teardown(), "Alice", "+4477"));
    assertEquals("Your chat with Alice ended after a period of inactivity.",
        p.render(p.texts().idleNotice(), "Alice", "+4477"));
    assertEquals("Alice withdrew the chat invitation.",
        p.render(p.texts().withdrawn(), "Alice", "+4477"));
  }

  /** Values at the edges of what is allowed load. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "reject-status = 400",
      "reject-status = 699",
      "expiry-status = 408",
      "provisional-refresh = 60s",
      "provisional-refresh = 1s",
      "reply-window = 1ms",
      "correlation { mode = POOL, pool = [\"447700900100\"] }",
      "language = fr",
      "keywords.en.accept = [\"yes\", \"Yes!\"]",
  })
  void edgeValuesLoad(String setting) {
    PolicyFixtures.policy("ipsmgw.policy." + setting);
  }

  @Test
  void poolNumbersAreStoredCanonical() {
    OperatorPolicy p = PolicyFixtures.policy(
        "ipsmgw.policy.correlation.pool = [\"447700900100\", \"tel:+44-7700-900101\"]");
    assertEquals(List.of("+447700900100", "+447700900101"), p.correlation().pool());
  }

  /**
   * Each bad value is refused with a ConfigException.BadValue whose message names the full key
   * (and, where there is one, the offending value).
   */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      // key                      | value                                         | also named
      "default-invitation         | MAYBE                                         | MAYBE",
      "reject-status              | 302                                           | 302",
      "reject-status              | 401                                           | 401",
      "reject-status              | 407                                           | 407",
      "reject-status              | 700                                           | 700",
      "expiry-status              | 399                                           | 399",
      "provisional-refresh        | 61s                                           | 61000ms",
      "provisional-refresh        | 60500ms                                       | 60500ms",
      "provisional-refresh        | 0s                                            | ''",
      "reply-window               | 0s                                            | ''",
      "reply-window               | -5s                                           | ''",
      "idle-timeout               | 0m                                            | ''",
      "other-reply                | IGNORE                                        | IGNORE",
      "correlation.mode           | RANDOM                                        | RANDOM",
      "correlation.pool           | [\"+447700900100\", \"07700 900101\"]         | 07700 900101",
      "correlation.pool           | [\"+447700900100\", \"not-a-number\"]         | not-a-number",
      "correlation.pool           | [\"+447700900100\", \"447700900100\"]         | +447700900100",
      "correlation.pool           | [\"+447700900100\", \"+44 7700 900100\"]      | listed twice",
      "texts.invitation           | \"Hi {foo}, reply {accept}\"                  | {foo}",
      "texts.ask-again            | \"{name} {Stop} {nmae}\"                      | {Stop}",
      "texts.teardown             | \"{NAME} left\"                               | {NAME}",
      "user-preference-wins       | maybe                                         | BOOLEAN",
      "reject-status              | busy                                          | NUMBER",
      "reply-window               | soon                                          | reply-window",
      "max-sms-parts              | 0                                             | 0",
      "max-sms-parts              | 256                                           | 256",
      "texts.teardown             | \" \"                                         | ''",
      "language                   | es                                            | es",
      "keywords.en.accept         | []                                            | ''",
      "keywords.en.stop           | [\"STOP\", \" ! \"]                           | empty keyword",
      "correlation.pool           | []                                            | at least one number",
      "reply-window               | 120                                           | needs a unit",
      "reply-window               | \"120\"                                       | needs a unit",
      "idle-timeout               | 1800000                                       | needs a unit",
      "provisional-refresh        | 50                                            | needs a unit",
  })
  void badValueIsRefusedNamingItsKey(String key, String value, String alsoNamed) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PolicyFixtures.policy("ipsmgw.policy." + key + " = " + value));
    assertInstanceOf(ConfigException.BadValue.class, e, e.getMessage());
    assertTrue(e.getMessage().contains("ipsmgw.policy." + key), e.getMessage());
    assertTrue(e.getMessage().contains(alsoNamed), e.getMessage());
  }

  /**
   * Every text must fit max-sms-parts once filled with a 40-character display name (outside
   * GSM-7, so UCS-2) and a 15-digit number: otherwise every send of it would be refused.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"invitation", "ask-again", "teardown", "idle-notice", "withdrawn", "not-delivered"})
  void aTextTooLongForMaxSmsPartsIsRefusedNamingItsKey(String text) {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.texts." + text + " = \"{name} " + "x".repeat(50_000) + "\""));
    assertTrue(e.getMessage().contains("ipsmgw.policy.texts." + text), e.getMessage());
    assertTrue(e.getMessage().contains("max-sms-parts = 10"), e.getMessage());
    assertFalse(e.getMessage().contains("xxxxxxxxxx"), "the text is not quoted: " + e.getMessage());
  }

  /** The limit is what the filled text needs, not the template: {name} counts 40 characters. */
  @Test
  void theTextBudgetCountsTheFilledInPlaceholders() {
    // One UCS-2 SMS holds 70 characters: 40 of the name + 30 = exactly one part.
    String fits = "{name}" + "y".repeat(30);
    PolicyFixtures.policy("ipsmgw.policy { max-sms-parts = 1, texts { invitation = \"" + fits
        + "\", ask-again = \"{name}\", teardown = \"{name}\", idle-notice = \"{name}\","
        + " withdrawn = \"{name}\", not-delivered = \"{number}\" } }");
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy { max-sms-parts = 1, texts { invitation = \"" + fits + "y\","
            + " ask-again = \"{name}\", teardown = \"{name}\", idle-notice = \"{name}\","
            + " withdrawn = \"{name}\", not-delivered = \"{number}\" } }"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.texts.invitation"), e.getMessage());
    assertTrue(e.getMessage().contains("needs 2 SMS parts"), e.getMessage());
  }

  @Test
  void theShippedTextsFitTheShippedMaximum() {
    assertEquals(10, PolicyFixtures.policy("").maxSmsParts());
  }

  @Test
  void poolModeNeedsAtLeastOneNumber() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.correlation { mode = POOL, pool = [] }"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.correlation.pool"), e.getMessage());
    assertTrue(e.getMessage().contains("POOL"), e.getMessage());
  }

  /** Within one language accept is read before decline, so the clash is reported on decline. */
  @Test
  void aWordCannotBothAcceptAndDeclineInOneLanguage() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.keywords.en.decline = [\"NO\", \"yes\"]"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.keywords.en.decline"), e.getMessage());
    assertTrue(e.getMessage().contains("'YES'"), e.getMessage());
  }

  /** Across languages the reading order is the config's; either list may be the one named. */
  @Test
  void aWordCannotAcceptInOneLanguageAndDeclineInAnother() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.keywords.de.decline = [\"NEIN\", \"ok\"]"));
    assertTrue(e.getMessage().matches(
        "(?s).*ipsmgw\\.policy\\.keywords\\.(en\\.accept|de\\.decline).*'OK' is also a"
            + " (decline|accept) keyword.*"), e.getMessage());
  }

  @Test
  void aStopWordCannotAlsoAccept() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.keywords.en.stop = [\"STOP\", \"Y\"]"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.keywords.en.stop"), e.getMessage());
    assertTrue(e.getMessage().contains("'Y'"), e.getMessage());
  }

  /** A language listed under keywords needs all three lists. */
  @Test
  void aLanguageWithoutKeywordsIsRefused() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.keywords.es {}"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.keywords.es.accept"), e.getMessage());

    ConfigException noStop = assertThrows(ConfigException.BadValue.class,
        () -> PolicyFixtures.policy(
            "ipsmgw.policy.keywords.es { accept = [\"SI\"], decline = [\"NOPE\"] }"));
    assertTrue(noStop.getMessage().contains("ipsmgw.policy.keywords.es.stop"), noStop.getMessage());
  }

  /** The language whose keywords fill the texts must be one that has keywords. */
  @Test
  void theTextLanguageNeedsKeywords() {
    ConfigException e = assertThrows(ConfigException.BadValue.class, () -> PolicyFixtures.policy(
        "ipsmgw.policy.language = es"));
    assertTrue(e.getMessage().contains("ipsmgw.policy.language"), e.getMessage());
    assertTrue(e.getMessage().contains("'es'"), e.getMessage());
  }

  @Test
  void aLanguageCanBeAdded() {
    OperatorPolicy p = PolicyFixtures.policy("ipsmgw.policy { language = es, keywords.es {"
        + " accept = [\"si\"], decline = [\"nope\"], stop = [\"basta\"] } }");
    assertEquals("SI NOPE BASTA", p.render("{accept} {decline} {stop}", null, "+4477"));
    assertEquals(ReplyIntent.ACCEPT, p.keywords().classify("yes"));
  }
}
