package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An MO outcome is accepted only when every part got 0; the rate is over the span it flowed. */
class MoInjectorTest {
  @Test
  void acceptedOnlyWhenEveryPartIsZero() {
    assertTrue(new MoInjector.Outcome(1, List.of(0, 0), 10, 12).accepted());
    assertFalse(new MoInjector.Outcome(1, List.of(0, 0x58), 10, 12).accepted());
    assertFalse(new MoInjector.Outcome(1, List.of(-1), 10, 12).accepted());
    assertFalse(new MoInjector.Outcome(1, List.of(), 10, 12).accepted());
  }

  @Test
  void theRateIsAnsweredOverFirstSentToLastAnswered() {
    assertEquals("MO answered 5000 in 2.000 s (first deliver_sm to last deliver_sm_resp) = "
        + "2500.0/s", MoInjector.rateLine(5000, 1_000, 3_000));
    assertNull(MoInjector.rateLine(0, Long.MAX_VALUE, 0));
  }
}
