package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatSendsTest {
  private static ChatSends.Waiting w(String tid) {
    return new ChatSends.Waiting(MsrpWriter.response(tid, "msrp://a;tcp", "msrp://b;tcp", 200,
        "OK"), null, null, null);
  }

  private static List<String> tids(List<ChatSends.Waiting> batch) {
    return batch.stream().map(x -> x.send().transactionId()).toList();
  }

  @Test
  void theFirstMessageGoesAtOnceAndTheNextWaitForItsAnswerThenGoTogetherInOrder() {
    ChatSends sends = new ChatSends(64);
    assertEquals(List.of("t1"), tids(sends.offer("chat-a", w("t1"))));
    assertTrue(sends.offer("chat-a", w("t2")).isEmpty());
    assertTrue(sends.offer("chat-a", w("t3")).isEmpty());
    assertEquals(List.of("b1"), tids(sends.offer("chat-b", w("b1"))), "another chat waits not");
    assertEquals(List.of("t2", "t3"), tids(sends.answered("chat-a")));
    assertTrue(sends.offer("chat-a", w("t4")).isEmpty(), "t2 and t3 are out: t4 waits");
    assertEquals(List.of("t4"), tids(sends.answered("chat-a")));
    assertTrue(sends.answered("chat-a").isEmpty());
    assertEquals(List.of("t5"), tids(sends.offer("chat-a", w("t5"))), "nothing out: goes at once");
  }

  @Test
  void aBatchIsAtMostMaxBatchAndTheRestGoesNext() {
    ChatSends sends = new ChatSends(2);
    sends.offer("c", w("1"));
    for (String t : List.of("2", "3", "4", "5", "6")) {
      sends.offer("c", w(t));
    }
    assertEquals(List.of("2", "3"), tids(sends.answered("c")));
    assertEquals(List.of("4", "5"), tids(sends.answered("c")));
    assertEquals(List.of("6"), tids(sends.answered("c")));
    assertTrue(sends.answered("c").isEmpty());
  }

  @Test
  void aBatchOfNoneIsABug() {
    assertThrows(IllegalArgumentException.class, () -> new ChatSends(0));
  }
}
