package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import org.ipsmgw.session.SessionFixtures;
import org.junit.jupiter.api.Test;

class PolicyUpdateTest {
  private static final Config BASE = SessionFixtures.policyConfig("").getConfig("ipsmgw.policy");

  private static OperatorPolicy applied(String overlay) {
    return PolicyConfig.fromConfig(PolicyUpdate.effective(BASE, overlay));
  }

  @Test
  void aValidChangeIsMergedOverTheConfiguredPolicy() {
    String overlay = PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY,
        "{\"default-invitation\": \"ACCEPT\", \"reply-window\": \"45s\"}");
    OperatorPolicy policy = applied(overlay);
    assertEquals(InvitationAction.ACCEPT, policy.defaultInvitation());
    assertEquals(java.time.Duration.ofSeconds(45), policy.replyWindow());
    assertEquals(603, policy.rejectStatus(), "keys not named keep the configured value");
  }

  @Test
  void aLaterChangeKeepsEarlierOnesItDoesNotName() {
    String first = PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, "{\"reject-status\": 486}");
    String second = PolicyUpdate.merge(BASE, first, "{\"default-invitation\": \"REJECT\"}");
    OperatorPolicy policy = applied(second);
    assertEquals(486, policy.rejectStatus());
    assertEquals(InvitationAction.REJECT, policy.defaultInvitation());
  }

  @Test
  void nestedKeysAndANewKeywordLanguageAreAccepted() {
    String overlay = PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY,
        "{\"texts\": {\"teardown\": \"{name} left.\"}, \"keywords\": {\"es\": {\"accept\": [\"SI\"],"
            + " \"decline\": [\"NO\"], \"stop\": [\"FIN\"]}}, \"language\": \"es\"}");
    OperatorPolicy policy = applied(overlay);
    assertEquals("es", policy.language());
  }

  @Test
  void anUnknownKeyIsRefusedByName() {
    var e = assertThrows(PolicyUpdate.InvalidPolicy.class, () -> PolicyUpdate.merge(BASE,
        PolicyUpdate.NO_OVERLAY, "{\"defualt-invitation\": \"ACCEPT\"}"));
    assertEquals("unknown policy key 'defualt-invitation'", e.getMessage());
  }

  @Test
  void aBadValueIsRefusedWithTheKeyAndTheAllowedValues() {
    var e = assertThrows(PolicyUpdate.InvalidPolicy.class, () -> PolicyUpdate.merge(BASE,
        PolicyUpdate.NO_OVERLAY, "{\"default-invitation\": \"MAYBE\"}"));
    assertTrue(e.getMessage().contains("default-invitation"), e.getMessage());
    assertTrue(e.getMessage().contains("MAYBE"), e.getMessage());
    assertTrue(e.getMessage().startsWith("Invalid value at 'ipsmgw.policy.default-invitation'"),
        "no parser origin before the message: " + e.getMessage());
  }

  @Test
  void aFinalStatusThatIsNotAnErrorIsRefused() {
    var e = assertThrows(PolicyUpdate.InvalidPolicy.class,
        () -> PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, "{\"reject-status\": 200}"));
    assertTrue(e.getMessage().contains("reject-status"), e.getMessage());
  }

  @Test
  void aWrongTypeIsRefused() {
    var e = assertThrows(PolicyUpdate.InvalidPolicy.class,
        () -> PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, "{\"reply-window\": [1, 2]}"));
    assertTrue(e.getMessage().contains("reply-window"), e.getMessage());
  }

  private static String refusal(String body) {
    return assertThrows(PolicyUpdate.InvalidPolicy.class,
        () -> PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, body), body).getMessage();
  }

  /**
   * Each value must have the JSON type of the configured value: no "yes" for a boolean, no
   * string for a number, no bare number for a duration (it would be milliseconds). The refusal
   * names the full key.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{\"anonymity-allowed\": \"yes\"}                 | ipsmgw.policy.anonymity-allowed | JSON boolean",
      "{\"teardown-sms\": \"true\"}                     | ipsmgw.policy.teardown-sms      | JSON boolean",
      "{\"user-preference-wins\": 1}                    | ipsmgw.policy.user-preference-wins | JSON boolean",
      "{\"reject-status\": \"486\"}                     | ipsmgw.policy.reject-status     | JSON number",
      "{\"max-sms-parts\": 2.5}                         | ipsmgw.policy.max-sms-parts     | whole number",
      "{\"reply-window\": 120}                          | ipsmgw.policy.reply-window      | unit",
      "{\"reply-window\": \"120\"}                      | ipsmgw.policy.reply-window      | unit",
      "{\"idle-timeout\": 1800000}                      | ipsmgw.policy.idle-timeout      | unit",
      "{\"default-invitation\": 1}                      | ipsmgw.policy.default-invitation | JSON string",
      "{\"default-invitation\": \"accept\"}             | ipsmgw.policy.default-invitation | accept",
      "{\"correlation\": {\"pool\": []}}                 | ipsmgw.policy.correlation.pool  | at least one number",
      "{\"correlation\": {\"pool\": [447700900100]}}     | ipsmgw.policy.correlation.pool  | array of strings",
      "{\"correlation\": \"POOL\"}                      | ipsmgw.policy.correlation       | JSON object",
      "{\"keywords\": {\"en\": {\"accept\": \"YES\"}}}  | ipsmgw.policy.keywords.en.accept | JSON array",
      "{\"keywords\": {\"es\": {\"accept\": [1]}}}       | ipsmgw.policy.keywords.es.accept | array of strings",
      "{\"texts\": {\"teardown\": null}}               | ipsmgw.policy.texts.teardown    | null",
  })
  void aValueOfTheWrongTypeIsRefusedNamingTheKey(String body, String key, String why) {
    String message = refusal(body);
    assertTrue(message.contains(key), message);
    assertTrue(message.contains(why), message);
  }

  @Test
  void aKeyUnderANewKeywordLanguageMustBeAKeywordList() {
    assertEquals("unknown policy key 'keywords.es.maybe'",
        refusal("{\"keywords\": {\"es\": {\"maybe\": [\"QUIZAS\"]}}}"));
  }

  /** 50,000 characters would be refused on every send: every INVITE_BY_SMS would get 503. */
  @Test
  void anInvitationTextLongerThanMaxSmsPartsIsRefused() {
    String message = refusal("{\"texts\": {\"invitation\": \"{name} " + "x".repeat(50_000)
        + "\"}}");
    assertTrue(message.contains("ipsmgw.policy.texts.invitation"), message);
    assertTrue(message.contains("max-sms-parts"), message);
    assertTrue(message.length() < 400, "the text is not echoed: " + message.length());
  }

  /** A lower max-sms-parts is checked against the texts already in force. */
  @Test
  void aMaxSmsPartsTheConfiguredTextsDoNotFitIsRefused() {
    String message = refusal("{\"max-sms-parts\": 1}");
    assertTrue(message.contains("ipsmgw.policy.texts.invitation"), message);
  }

  @Test
  void rightlyTypedValuesAreAccepted() {
    String overlay = PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, "{\"anonymity-allowed\":"
        + " false, \"reply-window\": \"2m\", \"max-sms-parts\": 4, \"correlation\":"
        + " {\"pool\": [\"+447700900999\"]}}");
    OperatorPolicy policy = applied(overlay);
    assertEquals(false, policy.anonymityAllowed());
    assertEquals(java.time.Duration.ofMinutes(2), policy.replyWindow());
    assertEquals(4, policy.maxSmsParts());
    assertEquals(java.util.List.of("+447700900999"), policy.correlation().pool());
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsRefused() {
    for (String body : new String[] {"", "   ", "not json", "[1, 2]", "{\"a\": "}) {
      var e = assertThrows(PolicyUpdate.InvalidPolicy.class,
          () -> PolicyUpdate.merge(BASE, PolicyUpdate.NO_OVERLAY, body), body);
      assertTrue(e.getMessage().contains("JSON"), body + " -> " + e.getMessage());
    }
  }

  @Test
  void theRenderedPolicyIsJsonWithTheConfiguredKeys() {
    String json = PolicyUpdate.render(PolicyUpdate.effective(BASE, "{\"reject-status\": 486}"));
    assertTrue(json.contains("\"reject-status\" : 486"), json);
    assertTrue(json.contains("\"default-invitation\" : \"INVITE_BY_SMS\""), json);
  }
}
