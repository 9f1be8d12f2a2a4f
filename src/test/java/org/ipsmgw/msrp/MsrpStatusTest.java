package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comments the gateway's responses carry, and how a chat's refusal is answered. */
class MsrpStatusTest {
  @Test
  void eachStatusHasTheCommentItAlwaysHad() {
    Map<Integer, String> comments = Map.of(200, "OK", 400, "Unintelligible",
        403, "Action not allowed", 408, "Timeout", 413, "Message too large",
        415, "Unsupported media type", 481, "Session does not exist",
        501, "Method not understood", 500, "Error");
    comments.forEach((status, comment) -> assertEquals(comment, MsrpStatus.comment(status)));
  }

  @Test
  void aChatsRefusalKeepsAnMsrpCodeAndOtherwiseIs403() {
    for (int kept : new int[] {400, 403, 413, 415, 481}) {
      assertEquals(kept, MsrpStatus.forRefusal(kept));
    }
    for (int sipOnly : new int[] {404, 480, 486, 488, 500, 603}) {
      assertEquals(403, MsrpStatus.forRefusal(sipOnly));
    }
  }
}
