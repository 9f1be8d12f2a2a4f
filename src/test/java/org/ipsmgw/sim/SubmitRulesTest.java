package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.Test;

/** What the simulated SMSC refuses: by rate, by count per destination, by status, by drop. */
class SubmitRulesTest {
  private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC);

  @Test
  void aCountOfThrottledSubmitsIsSpentThenTheNextPasses() {
    SubmitRules rules = new SubmitRules(0, FROZEN);
    rules.throttle("447700900777", 2);
    assertEquals(List.of(true, true, false, false),
        IntStream.range(0, 4).mapToObj(i -> rules.throttled("447700900777")).toList());
    assertFalse(rules.throttled("447700900778"), "another destination is not throttled");
  }

  @Test
  void maxValueThrottlesUntilCalledAgainWithZero() {
    SubmitRules rules = new SubmitRules(0, FROZEN);
    rules.throttle("447700900777", Integer.MAX_VALUE);
    for (int i = 0; i < 50; i++) {
      assertTrue(rules.throttled("447700900777"));
    }
    rules.throttle("447700900777", 0);
    assertFalse(rules.throttled("447700900777"));
  }

  @Test
  void aboveTheRateWithinOneSecondEverySubmitIsThrottled() {
    SubmitRules rules = new SubmitRules(3, FROZEN);
    assertEquals(List.of(false, false, false, true, true),
        IntStream.range(0, 5).mapToObj(i -> rules.throttled("4477009" + i)).toList());
  }

  @Test
  void aRefusedDestinationGetsItsStatusAndADropIsAskedOnce() {
    SubmitRules rules = new SubmitRules(0, FROZEN);
    rules.refuse("447700900777", SMPPConstant.STAT_ESME_RINVDSTADR);
    assertEquals(SMPPConstant.STAT_ESME_RINVDSTADR, rules.refusal("447700900777"));
    assertEquals(0, rules.refusal("447700900778"));
    rules.dropBindOnNextSubmit("447700900779");
    assertTrue(rules.dropBind("447700900779"));
    assertFalse(rules.dropBind("447700900779"), "only the next submit loses its bind");
  }
}
