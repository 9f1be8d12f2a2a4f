package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
  @Test
  void everyTokenOnceInOrderIsClean() {
    Ledger l = new Ledger();
    for (int i = 1; i <= 3; i++) {
      l.sent(Tokens.mt(7, i));
      l.sent(Tokens.mo(7, i));
    }
    for (int i = 1; i <= 3; i++) {
      l.arrived(Tokens.mt(7, i));
      l.arrived(Tokens.mo(7, i));
    }
    Ledger.Verdict v = l.verifyAll();
    assertTrue(v.clean(), v.line());
    assertEquals("exactly-once and order: OK | MSRP->SMS sent 3, at SMSC once 3, lost 0, "
        + "duplicated 0, out of order 0 | SMS->MSRP sent 3, at CPM once 3, lost 0, duplicated 0, "
        + "out of order 0 | per-chat order kept in 1/1 chats", v.line());
  }

  @Test
  void lostDuplicatedAndReorderedAreEachCounted() {
    assertEquals(new Ledger.Count(3, 2, 1, 0, 0), Ledger.count(List.of(1, 2, 3), List.of(1, 3)));
    assertEquals(new Ledger.Count(2, 1, 0, 2, 0), Ledger.count(List.of(1, 2), List.of(1, 2, 2, 2)));
    assertEquals(new Ledger.Count(3, 3, 0, 0, 1), Ledger.count(List.of(1, 2, 3), List.of(2, 1, 3)));
  }

  @Test
  void oneBadChatFailsTheRunAndIsNamedInTheCount() {
    Ledger l = new Ledger();
    l.sent(Tokens.mt(1, 1));
    l.arrived(Tokens.mt(1, 1));
    l.sent(Tokens.mt(2, 1));
    l.sent(Tokens.mt(2, 2));
    l.arrived(Tokens.mt(2, 2));
    l.arrived(Tokens.mt(2, 1));
    Ledger.Verdict v = l.verifyAll();
    assertFalse(v.clean());
    assertTrue(l.verify(1).clean());
    assertTrue(v.line().startsWith("exactly-once and order: FAILED"), v.line());
    assertTrue(v.line().endsWith("per-chat order kept in 1/2 chats"), v.line());
    assertTrue(v.line().contains("duplicated 0, out of order 1 | SMS->MSRP"), "its direction: "
        + v.line());
  }

  @Test
  void aTokenReadsBackFromAText() {
    Tokens.Token t = Tokens.find("load tk-12-o-345 and more");
    assertEquals(Tokens.mo(12, 345), t);
    assertEquals("tk-12-o-345", t.toString());
    assertEquals(null, Tokens.find("no token here"));
  }
}
