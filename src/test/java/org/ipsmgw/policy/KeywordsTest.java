package org.ipsmgw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reply keywords, operator texts and the choice of correlation number. */
class KeywordsTest {
  private static final OperatorPolicy SHIPPED = PolicyFixtures.policy("");
  private static final Keywords KEYWORDS = SHIPPED.keywords();

  // --- classify --------------------------------------------------------------------------------

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
      // case-insensitive
      "yes|ACCEPT", "YES|ACCEPT", "yEs|ACCEPT", "y|ACCEPT", "accept|ACCEPT", "Ok|ACCEPT",
      "no|DECLINE", "N|DECLINE", "Decline|DECLINE", "stop|STOP", "End|STOP", "QUIT|STOP",
      // trimmed
      "'  yes  '|ACCEPT", "'\tno\n'|DECLINE", "' stop'|STOP",
      // trailing punctuation
      "Yes!|ACCEPT", "' ok. '|ACCEPT", "yes!!!|ACCEPT", "no?|DECLINE", "STOP.|STOP",
      "'yes !'|ACCEPT", "'ok,;'|ACCEPT",
      // keywords of the other shipped languages
      "JA|ACCEPT", "ja|ACCEPT", "nein|DECLINE", "Ende|STOP", "oui|ACCEPT", "NON|DECLINE",
      "Fin|STOP",
      // chat text that merely contains, starts or ends with a keyword
      "yes please|TEXT", "ok then|TEXT", "no way|TEXT", "please stop|TEXT", "Yesterday|TEXT",
      "nope|TEXT", "!yes|TEXT", "'y e s'|TEXT", "Hello there|TEXT",
      // punctuation only
      "...|TEXT", "'!'|TEXT",
  })
  void classify(String text, ReplyIntent intent) {
    assertEquals(intent, KEYWORDS.classify(text));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\n"})
  void emptyOrMissingTextIsText(String text) {
    assertEquals(ReplyIntent.TEXT, KEYWORDS.classify(text));
  }

  @Test
  void firstKeywordsPerLanguage() {
    assertEquals("YES", KEYWORDS.firstAccept("en"));
    assertEquals("NO", KEYWORDS.firstDecline("en"));
    assertEquals("STOP", KEYWORDS.firstStop("en"));
    assertEquals("JA", KEYWORDS.firstAccept("de"));
    assertEquals("NON", KEYWORDS.firstDecline("fr"));
    assertEquals("", KEYWORDS.firstAccept("es"));
  }

  // --- render ----------------------------------------------------------------------------------

  @Test
  void renderFillsEveryPlaceholder() {
    assertEquals("Alice +447700900555 YES NO STOP",
        SHIPPED.render("{name} {number} {accept} {decline} {stop}", "Alice", "+447700900555"));
  }

  @Test
  void renderFillsARepeatedPlaceholderEachTime() {
    assertEquals("Alice, Alice: YES/YES",
        SHIPPED.render("{name}, {name}: {accept}/{accept}", "Alice", "+447700900555"));
  }

  @Test
  void renderUsesTheKeywordsOfTheConfiguredLanguage() {
    OperatorPolicy german = PolicyFixtures.policy("ipsmgw.policy.language = de");
    assertEquals("JA NEIN ENDE", german.render("{accept} {decline} {stop}", "Alice", "+4477"));
  }

  @ParameterizedTest(name = "name ''{0}''")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t "})
  void nameFallsBackToTheNumberWhenMissingOrBlank(String name) {
    assertEquals("+447700900555 (+447700900555) says hi",
        SHIPPED.render("{name} ({number}) says hi", name, "+447700900555"));
  }

  @Test
  void valuesAreInsertedLiterally() {
    assertEquals("$1 \\o/ {number}", SHIPPED.render("{name}", "$1 \\o/ {number}", "+4477"));
  }

  @Test
  void textWithoutPlaceholdersIsUnchanged() {
    assertEquals("Plain text {", SHIPPED.render("Plain text {", "Alice", "+4477"));
  }

  @Test
  void staticRenderLeavesNothingOfAnUnsuppliedPlaceholder() {
    assertEquals("Hi  and Bob", OperatorTexts.render("Hi {name} and {number}",
        Map.of("number", "Bob")));
  }

  @Test
  void unknownPlaceholderIsTheFirstThatIsNotKnown() {
    assertNull(OperatorTexts.unknownPlaceholder("{name} {number} {accept} {decline} {stop}"));
    assertNull(OperatorTexts.unknownPlaceholder("no placeholders"));
    assertEquals("foo", OperatorTexts.unknownPlaceholder("{name} {foo} {bar}"));
  }

  // --- correlation numbers ---------------------------------------------------------------------

  private static final String CPM = "+447700900555";
  private static final String P1 = "+447700900100";
  private static final String P2 = "+447700900101";
  private static final CorrelationPlan BY_CPM =
      new CorrelationPlan(CorrelationMode.CPM_MSISDN, List.of(P1, P2));
  private static final CorrelationPlan POOL = new CorrelationPlan(CorrelationMode.POOL,
      List.of(P1, P2));

  @Test
  void cpmModeUsesTheCpmNumberWhenFree() {
    assertEquals(Optional.of(CPM), BY_CPM.choose(CPM, false, Set.of()));
    assertEquals(Optional.of(CPM), BY_CPM.choose(CPM, false, Set.of(P1, P2)));
  }

  @Test
  void cpmModeFallsBackToTheFirstFreePoolNumberWhenTheCpmNumberIsInUse() {
    assertEquals(Optional.of(P1), BY_CPM.choose(CPM, false, Set.of(CPM)));
    assertEquals(Optional.of(P2), BY_CPM.choose(CPM, false, Set.of(CPM, P1)));
  }

  @Test
  void cpmModeNeverShowsAnAnonymousSendersNumber() {
    assertEquals(Optional.of(P1), BY_CPM.choose(CPM, true, Set.of()));
    assertEquals(Optional.of(P2), BY_CPM.choose(CPM, true, Set.of(P1)));
    assertEquals(Optional.empty(), BY_CPM.choose(CPM, true, Set.of(P1, P2)));
  }

  @Test
  void cpmModeUsesThePoolWhenTheSenderHasNoNumber() {
    assertEquals(Optional.of(P1), BY_CPM.choose(null, false, Set.of()));
    assertEquals(Optional.of(P2), BY_CPM.choose(null, false, Set.of(P1)));
  }

  @Test
  void cpmModeIsExhaustedWhenTheCpmNumberAndThePoolAreInUse() {
    assertEquals(Optional.empty(), BY_CPM.choose(CPM, false, Set.of(CPM, P1, P2)));
    assertEquals(Optional.empty(),
        new CorrelationPlan(CorrelationMode.CPM_MSISDN, List.of()).choose(CPM, false, Set.of(CPM)));
  }

  @Test
  void poolModeIgnoresTheCpmNumber() {
    assertEquals(Optional.of(P1), POOL.choose(CPM, false, Set.of()));
    assertEquals(Optional.of(P2), POOL.choose(CPM, false, Set.of(P1)));
    assertEquals(Optional.of(P1), POOL.choose(null, true, Set.of(CPM)));
  }

  @Test
  void poolModeIsEmptyWhenThePoolIsExhausted() {
    assertEquals(Optional.empty(), POOL.choose(CPM, false, Set.of(P1, P2)));
    assertEquals(Optional.empty(), POOL.choose(null, false, Set.of(P2, P1, CPM)));
  }

  @Test
  void poolOrderIsTheOperatorsOrder() {
    CorrelationPlan reversed = new CorrelationPlan(CorrelationMode.POOL, List.of(P2, P1));
    assertEquals(Optional.of(P2), reversed.choose(CPM, false, Set.of()));
  }
}
