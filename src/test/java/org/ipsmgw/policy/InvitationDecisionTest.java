package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decision table: operator default × user preference × who wins × anonymity. The expected
 * columns are written out, not computed.
 */
class InvitationDecisionTest {

  @ParameterizedTest(name = "default {0}, preference {1}, user wins {2}, anonymous {3}, allowed {4} -> {5} by {6} ({7})")
  @CsvSource({
      // default,     preference,   userWins, anon,  allowed, action,        source,    status
      "ACCEPT,        NONE,          true,    false, true,    ACCEPT,        OPERATOR,  0",
      "ACCEPT,        REJECT,        true,    false, true,    REJECT,        USER,      603",
      "ACCEPT,        INVITE_BY_SMS, true,    false, true,    INVITE_BY_SMS, USER,      0",
      "ACCEPT,        REJECT,        false,   false, true,    ACCEPT,        OPERATOR,  0",
      "REJECT,        NONE,          true,    false, true,    REJECT,        OPERATOR,  603",
      "REJECT,        ACCEPT,        true,    false, true,    ACCEPT,        USER,      0",
      "REJECT,        ACCEPT,        false,   false, true,    REJECT,        OPERATOR,  603",
      "REJECT,        INVITE_BY_SMS, false,   false, true,    REJECT,        OPERATOR,  603",
      "INVITE_BY_SMS, NONE,          true,    false, true,    INVITE_BY_SMS, OPERATOR,  0",
      "INVITE_BY_SMS, NONE,          false,   false, true,    INVITE_BY_SMS, OPERATOR,  0",
      "INVITE_BY_SMS, ACCEPT,        true,    false, true,    ACCEPT,        USER,      0",
      "INVITE_BY_SMS, REJECT,        true,    false, true,    REJECT,        USER,      603",
      "INVITE_BY_SMS, ACCEPT,        false,   false, true,    INVITE_BY_SMS, OPERATOR,  0",
      "INVITE_BY_SMS, INVITE_BY_SMS, true,    false, true,    INVITE_BY_SMS, USER,      0",
      // anonymity: allowed changes nothing; forbidden rejects 403 whatever the preference
      "ACCEPT,        NONE,          true,    true,  true,    ACCEPT,        OPERATOR,  0",
      "INVITE_BY_SMS, ACCEPT,        true,    true,  true,    ACCEPT,        USER,      0",
      "ACCEPT,        NONE,          true,    true,  false,   REJECT,        ANONYMITY, 403",
      "ACCEPT,        ACCEPT,        true,    true,  false,   REJECT,        ANONYMITY, 403",
      "INVITE_BY_SMS, NONE,          false,   true,  false,   REJECT,        ANONYMITY, 403",
      // forbidden anonymity only matters when anonymity is requested
      "ACCEPT,        NONE,          true,    false, false,   ACCEPT,        OPERATOR,  0",
  })
  void decision(InvitationAction defaultAction, String preference, boolean userWins,
      boolean anonymous, boolean allowed, InvitationAction action, DecisionSource source,
      int status) {
    OperatorPolicy policy = PolicyFixtures.policy(
        "ipsmgw.policy { default-invitation = " + defaultAction + ", user-preference-wins = "
            + userWins + ", anonymity-allowed = " + allowed + " }");
    Optional<InvitationAction> pref = preference.equals("NONE") ? Optional.empty()
        : Optional.of(InvitationAction.valueOf(preference));
    InvitationDecision d = policy.decide(pref, anonymous);
    assertEquals(action, d.action());
    assertEquals(source, d.source());
    assertEquals(status, d.status());
  }

  @ParameterizedTest
  @CsvSource({"403", "486", "603"})
  void rejectUsesTheConfiguredStatus(int status) {
    OperatorPolicy policy = PolicyFixtures.policy(
        "ipsmgw.policy { default-invitation = REJECT, reject-status = " + status + " }");
    assertEquals(status, policy.decide(Optional.empty(), false).status());
  }
}
