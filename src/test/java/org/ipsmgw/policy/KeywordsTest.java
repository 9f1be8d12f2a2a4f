package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordsTest {
  private final OperatorPolicy policy = PolicyFixtures.policy("");

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', value = {
      "yes | ACCEPT", "' Yes! ' | ACCEPT", "ok. | ACCEPT", "Y | ACCEPT", "ja | ACCEPT",
      "Oui | ACCEPT", "no | DECLINE", "NEIN | DECLINE", "non? | DECLINE", "stop | STOP",
      "Fin | STOP", "ende | STOP", "yes please | TEXT", "Hello there | TEXT", "'' | TEXT",
      "'...' | TEXT",
  })
  void classify(String text, ReplyIntent intent) {
    assertEquals(intent, policy.keywords().classify(text));
  }

  @Test
  void nullTextIsText() {
    assertEquals(ReplyIntent.TEXT, policy.keywords().classify(null));
  }

  @Test
  void renderFillsEveryPlaceholder() {
    assertEquals("Alice +447700900555 YES NO STOP",
        policy.render("{name} {number} {accept} {decline} {stop}", "Alice", "+447700900555"));
  }

  @Test
  void renderUsesTheNumberWhenThereIsNoName() {
    assertEquals("+447700900555 says hi", policy.render("{name} says hi", null, "+447700900555"));
    assertEquals("+447700900555 says hi", policy.render("{name} says hi", " ", "+447700900555"));
  }

  @Test
  void replacementTextIsTakenLiterally() {
    assertEquals("$1 \\o/", policy.render("{name}", "$1 \\o/", "+447700900555"));
  }

  private static final CorrelationPlan BY_CPM =
      new CorrelationPlan(CorrelationMode.CPM_MSISDN, List.of("+447700900100", "+447700900101"));
  private static final CorrelationPlan POOL =
      new CorrelationPlan(CorrelationMode.POOL, List.of("+447700900100", "+447700900101"));

  @Test
  void cpmModeUsesTheCpmNumberWhenFree() {
    assertEquals(Optional.of("+447700900555"), BY_CPM.choose("+447700900555", false, Set.of()));
  }

  @Test
  void cpmModeFallsBackToThePool() {
    assertEquals(Optional.of("+447700900100"),
        BY_CPM.choose("+447700900555", false, Set.of("+447700900555")));
    assertEquals(Optional.of("+447700900100"), BY_CPM.choose("+447700900555", true, Set.of()));
    assertEquals(Optional.of("+447700900101"), BY_CPM.choose(null, false, Set.of("+447700900100")));
  }

  @Test
  void poolModeIgnoresTheCpmNumberAndCanRunOut() {
    assertEquals(Optional.of("+447700900100"), POOL.choose("+447700900555", false, Set.of()));
    assertEquals(Optional.empty(),
        POOL.choose("+447700900555", false, Set.of("+447700900100", "+447700900101")));
  }

  @Test
  void invitationActionParseNamesTheAcceptedValues() {
    assertEquals(InvitationAction.ACCEPT, InvitationAction.parse("ACCEPT"));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> InvitationAction.parse("accept"));
    assertEquals("unknown invitation action 'accept' (expected ACCEPT, REJECT or INVITE_BY_SMS)",
        e.getMessage());
  }
}
