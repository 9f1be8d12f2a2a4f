package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invitation decision table (CPM-IWF-008): operator default × the SMS user's preference × who
 * wins × anonymity requested/allowed. Every combination is listed and its expected action, source
 * and status are written out, not computed. The reject status is the shipped 603.
 */
class InvitationDecisionTest {

  @ParameterizedTest(name = "[{index}] default {0}, preference {1}, user wins {2}, anonymous {3}, "
      + "anonymity allowed {4} -> {5} by {6} ({7})")
  @CsvSource({
      // default      , preference    , wins  , anon  , allow , action        , source    , status
      // anonymity not requested, allowed
      "ACCEPT        , NONE          , true  , false , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , NONE          , false , false , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , ACCEPT        , true  , false , true  , ACCEPT        , USER      , 0",
      "ACCEPT        , ACCEPT        , false , false , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , REJECT        , true  , false , true  , REJECT        , USER      , 603",
      "ACCEPT        , REJECT        , false , false , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , INVITE_BY_SMS , true  , false , true  , INVITE_BY_SMS , USER      , 0",
      "ACCEPT        , INVITE_BY_SMS , false , false , true  , ACCEPT        , OPERATOR  , 0",
      "REJECT        , NONE          , true  , false , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , NONE          , false , false , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , ACCEPT        , true  , false , true  , ACCEPT        , USER      , 0",
      "REJECT        , ACCEPT        , false , false , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , REJECT        , true  , false , true  , REJECT        , USER      , 603",
      "REJECT        , REJECT        , false , false , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , INVITE_BY_SMS , true  , false , true  , INVITE_BY_SMS , USER      , 0",
      "REJECT        , INVITE_BY_SMS , false , false , true  , REJECT        , OPERATOR  , 603",
      "INVITE_BY_SMS , NONE          , true  , false , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , NONE          , false , false , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , ACCEPT        , true  , false , true  , ACCEPT        , USER      , 0",
      "INVITE_BY_SMS , ACCEPT        , false , false , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , REJECT        , true  , false , true  , REJECT        , USER      , 603",
      "INVITE_BY_SMS , REJECT        , false , false , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , true  , false , true  , INVITE_BY_SMS , USER      , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , false , false , true  , INVITE_BY_SMS , OPERATOR  , 0",
      // anonymity not requested, forbidden: forbidding changes nothing
      "ACCEPT        , NONE          , true  , false , false , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , NONE          , false , false , false , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , ACCEPT        , true  , false , false , ACCEPT        , USER      , 0",
      "ACCEPT        , ACCEPT        , false , false , false , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , REJECT        , true  , false , false , REJECT        , USER      , 603",
      "ACCEPT        , REJECT        , false , false , false , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , INVITE_BY_SMS , true  , false , false , INVITE_BY_SMS , USER      , 0",
      "ACCEPT        , INVITE_BY_SMS , false , false , false , ACCEPT        , OPERATOR  , 0",
      "REJECT        , NONE          , true  , false , false , REJECT        , OPERATOR  , 603",
      "REJECT        , NONE          , false , false , false , REJECT        , OPERATOR  , 603",
      "REJECT        , ACCEPT        , true  , false , false , ACCEPT        , USER      , 0",
      "REJECT        , ACCEPT        , false , false , false , REJECT        , OPERATOR  , 603",
      "REJECT        , REJECT        , true  , false , false , REJECT        , USER      , 603",
      "REJECT        , REJECT        , false , false , false , REJECT        , OPERATOR  , 603",
      "REJECT        , INVITE_BY_SMS , true  , false , false , INVITE_BY_SMS , USER      , 0",
      "REJECT        , INVITE_BY_SMS , false , false , false , REJECT        , OPERATOR  , 603",
      "INVITE_BY_SMS , NONE          , true  , false , false , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , NONE          , false , false , false , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , ACCEPT        , true  , false , false , ACCEPT        , USER      , 0",
      "INVITE_BY_SMS , ACCEPT        , false , false , false , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , REJECT        , true  , false , false , REJECT        , USER      , 603",
      "INVITE_BY_SMS , REJECT        , false , false , false , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , true  , false , false , INVITE_BY_SMS , USER      , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , false , false , false , INVITE_BY_SMS , OPERATOR  , 0",
      // anonymity requested and allowed: decided as if not anonymous
      "ACCEPT        , NONE          , true  , true  , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , NONE          , false , true  , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , ACCEPT        , true  , true  , true  , ACCEPT        , USER      , 0",
      "ACCEPT        , ACCEPT        , false , true  , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , REJECT        , true  , true  , true  , REJECT        , USER      , 603",
      "ACCEPT        , REJECT        , false , true  , true  , ACCEPT        , OPERATOR  , 0",
      "ACCEPT        , INVITE_BY_SMS , true  , true  , true  , INVITE_BY_SMS , USER      , 0",
      "ACCEPT        , INVITE_BY_SMS , false , true  , true  , ACCEPT        , OPERATOR  , 0",
      "REJECT        , NONE          , true  , true  , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , NONE          , false , true  , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , ACCEPT        , true  , true  , true  , ACCEPT        , USER      , 0",
      "REJECT        , ACCEPT        , false , true  , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , REJECT        , true  , true  , true  , REJECT        , USER      , 603",
      "REJECT        , REJECT        , false , true  , true  , REJECT        , OPERATOR  , 603",
      "REJECT        , INVITE_BY_SMS , true  , true  , true  , INVITE_BY_SMS , USER      , 0",
      "REJECT        , INVITE_BY_SMS , false , true  , true  , REJECT        , OPERATOR  , 603",
      "INVITE_BY_SMS , NONE          , true  , true  , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , NONE          , false , true  , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , ACCEPT        , true  , true  , true  , ACCEPT        , USER      , 0",
      "INVITE_BY_SMS , ACCEPT        , false , true  , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , REJECT        , true  , true  , true  , REJECT        , USER      , 603",
      "INVITE_BY_SMS , REJECT        , false , true  , true  , INVITE_BY_SMS , OPERATOR  , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , true  , true  , true  , INVITE_BY_SMS , USER      , 0",
      "INVITE_BY_SMS , INVITE_BY_SMS , false , true  , true  , INVITE_BY_SMS , OPERATOR  , 0",
      // anonymity requested but forbidden: 403 whatever the default and the preference
      "ACCEPT        , NONE          , true  , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , NONE          , false , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , ACCEPT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , ACCEPT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , REJECT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , REJECT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , INVITE_BY_SMS , true  , true  , false , REJECT        , ANONYMITY , 403",
      "ACCEPT        , INVITE_BY_SMS , false , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , NONE          , true  , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , NONE          , false , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , ACCEPT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , ACCEPT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , REJECT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , REJECT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , INVITE_BY_SMS , true  , true  , false , REJECT        , ANONYMITY , 403",
      "REJECT        , INVITE_BY_SMS , false , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , NONE          , true  , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , NONE          , false , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , ACCEPT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , ACCEPT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , REJECT        , true  , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , REJECT        , false , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , INVITE_BY_SMS , true  , true  , false , REJECT        , ANONYMITY , 403",
      "INVITE_BY_SMS , INVITE_BY_SMS , false , true  , false , REJECT        , ANONYMITY , 403",
  })
  void decision(InvitationAction defaultInvitation, String preference, boolean userPreferenceWins,
      boolean anonymityRequested, boolean anonymityAllowed, InvitationAction action,
      DecisionSource source, int status) {
    OperatorPolicy policy = PolicyFixtures.policy("ipsmgw.policy { default-invitation = "
        + defaultInvitation + ", user-preference-wins = " + userPreferenceWins
        + ", anonymity-allowed = " + anonymityAllowed + " }");
    Optional<InvitationAction> userPreference = preference.equals("NONE") ? Optional.empty()
        : Optional.of(InvitationAction.valueOf(preference));

    InvitationDecision d = policy.decide(userPreference, anonymityRequested);

    assertAll(
        () -> assertEquals(action, d.action(), "action"),
        () -> assertEquals(source, d.source(), "source"),
        () -> assertEquals(status, d.status(), "status"),
        () -> assertEquals(action == InvitationAction.REJECT, d.rejects(), "rejects()"),
        () -> assertFalse(d.reason() == null || d.reason().isBlank(), "reason"));
  }

  /** The configured reject-status is what a REJECT by operator or by user answers. */
  @ParameterizedTest(name = "reject-status {0}")
  @CsvSource({"400", "486", "603", "699"})
  void rejectAnswersTheConfiguredStatus(int rejectStatus) {
    OperatorPolicy policy = PolicyFixtures.policy("ipsmgw.policy { default-invitation = REJECT, "
        + "reject-status = " + rejectStatus + " }");
    InvitationDecision byOperator = policy.decide(Optional.empty(), false);
    assertEquals(DecisionSource.OPERATOR, byOperator.source());
    assertEquals(rejectStatus, byOperator.status());

    OperatorPolicy accepting = PolicyFixtures.policy("ipsmgw.policy { default-invitation = ACCEPT, "
        + "reject-status = " + rejectStatus + " }");
    InvitationDecision byUser = accepting.decide(Optional.of(InvitationAction.REJECT), false);
    assertEquals(DecisionSource.USER, byUser.source());
    assertEquals(rejectStatus, byUser.status());
  }

  /** Forbidden anonymity is always 403, whatever reject-status says. */
  @Test
  void forbiddenAnonymityIs403WhateverTheRejectStatus() {
    OperatorPolicy policy = PolicyFixtures.policy(
        "ipsmgw.policy { anonymity-allowed = false, reject-status = 486 }");
    InvitationDecision d = policy.decide(Optional.of(InvitationAction.REJECT), true);
    assertEquals(InvitationAction.REJECT, d.action());
    assertEquals(DecisionSource.ANONYMITY, d.source());
    assertEquals(403, d.status());
  }

  /** Users and operator rejections are told apart in the reason that ends up in the SIP answer. */
  @Test
  void rejectReasonNamesWhoDecided() {
    OperatorPolicy policy = PolicyFixtures.policy("ipsmgw.policy.default-invitation = REJECT");
    assertEquals("Declined by operator policy", policy.decide(Optional.empty(), false).reason());
    assertEquals("Declined by user preference",
        PolicyFixtures.policy("").decide(Optional.of(InvitationAction.REJECT), false).reason());
  }

  @ParameterizedTest
  @EnumSource(InvitationAction.class)
  void invitationActionParsesItsOwnNames(InvitationAction action) {
    assertEquals(action, InvitationAction.parse(action.name()));
  }

  /** Operator and API values are exact: a wrong case or an unknown word is refused by name. */
  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"accept", "MAYBE", " ACCEPT", "INVITE"})
  void invitationActionRefusesOtherValues(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InvitationAction.parse(value));
    assertEquals("unknown invitation action '" + value
        + "' (expected ACCEPT, REJECT or INVITE_BY_SMS)", e.getMessage());
  }
}
