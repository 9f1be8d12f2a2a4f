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
