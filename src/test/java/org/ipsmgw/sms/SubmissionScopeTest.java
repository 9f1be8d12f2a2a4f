package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.ipsmgw.LogContext;
import org.ipsmgw.pager.PagerKey;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class SubmissionScopeTest {

  @Test
  void aChatsLinesCarryItsCallIdAndTheSmsUserUntilTheScopeCloses() {
    try (var scope = SubmissionScope.of("call-1@cpm.example", "+447700900123")) {
      assertEquals("call-1@cpm.example", MDC.get(LogContext.SESSION_ID));
      assertEquals("call-1@cpm.example", MDC.get(LogContext.CALL_ID));
      assertEquals("+447700900123", MDC.get(LogContext.SMS_USER));
    }
    assertNull(MDC.get(LogContext.SESSION_ID));
    assertNull(MDC.get(LogContext.CALL_ID));
    assertNull(MDC.get(LogContext.SMS_USER));
  }

  @Test
  void aPagerConversationHasNoCallId() {
    String pager = new PagerKey("+447700900123", "+447700900456").id();
    try (var scope = SubmissionScope.of(pager, null)) {
      assertEquals(pager, MDC.get(LogContext.SESSION_ID));
      assertNull(MDC.get(LogContext.CALL_ID));
      assertNull(MDC.get(LogContext.SMS_USER));
    }
  }
}
