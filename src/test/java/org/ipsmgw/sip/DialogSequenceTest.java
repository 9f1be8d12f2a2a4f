package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each new request of a dialog gets a higher CSeq than the last, also within one tenth of a
 * second, while the clock's tenths keep a later node's requests from going lower.
 */
class DialogSequenceTest {
  private static final long T = 1_796_000_000_000L;

  private static long tenths(long millis) {
    return millis / 100 % Integer.MAX_VALUE;
  }

  @Test
  void twoRequestsOfADialogInOneTenthOfASecondGetIncreasingCSeqs() {
    DialogSequence s = new DialogSequence();
    long first = s.next("a", T);
    assertEquals(tenths(T), first, "the clock's tenths");
    assertEquals(first + 1, s.next("a", T + 30), "sent again 30 ms later: one higher");
    assertEquals(first + 2, s.next("a", T + 60));
    assertEquals(first, s.next("b", T + 60), "another dialog: the clock's value");
    assertEquals(tenths(T + 5_000), s.next("a", T + 5_000), "later: the clock's value again");
  }

  @Test
  void dialogsTheClockHasPassedAreForgottenSoTheMemoryStaysBounded() {
    DialogSequence s = new DialogSequence();
    for (int i = 0; i < 5_000; i++) {
      s.next("call-" + i, T + i * 100L);
    }
    assertTrue(s.kept() <= 1_025, "kept " + s.kept());
    assertEquals(tenths(T + 600_000), s.next("call-1", T + 600_000));
  }
}
