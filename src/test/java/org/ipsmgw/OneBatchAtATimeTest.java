package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OneBatchAtATimeTest {
  @Test
  void theFirstMessageGoesAtOnceAndTheNextWaitForItsAnswerThenGoTogetherInOrder() {
    OneBatchAtATime<String, String> sends = new OneBatchAtATime<>(64);
    assertEquals(List.of("t1"), sends.offer("chat-a", "t1"));
    assertTrue(sends.offer("chat-a", "t2").isEmpty());
    assertTrue(sends.offer("chat-a", "t3").isEmpty());
    assertEquals(List.of("b1"), sends.offer("chat-b", "b1"), "another chat waits not");
    assertEquals(List.of("t2", "t3"), sends.answered("chat-a"));
    assertTrue(sends.offer("chat-a", "t4").isEmpty(), "t2 and t3 are out: t4 waits");
    assertEquals(List.of("t4"), sends.answered("chat-a"));
    assertTrue(sends.answered("chat-a").isEmpty());
    assertEquals(List.of("t5"), sends.offer("chat-a", "t5"), "nothing out: goes at once");
  }

  @Test
  void aBatchIsAtMostMaxBatchAndTheRestGoesNext() {
    OneBatchAtATime<String, String> sends = new OneBatchAtATime<>(2);
    sends.offer("c", "1");
    for (String t : List.of("2", "3", "4", "5", "6")) {
      sends.offer("c", t);
    }
    assertEquals(List.of("2", "3"), sends.answered("c"));
    assertEquals(List.of("4", "5"), sends.answered("c"));
    assertEquals(List.of("6"), sends.answered("c"));
    assertTrue(sends.answered("c").isEmpty());
  }

  @Test
  void aBatchOfNoneIsABug() {
    assertThrows(IllegalArgumentException.class, () -> new OneBatchAtATime<String, String>(0));
  }
}
