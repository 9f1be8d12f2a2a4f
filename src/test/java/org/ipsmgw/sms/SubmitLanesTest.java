package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One item of a lane in flight at a time, later ones in order; lanes independent. */
class SubmitLanesTest {
  @Test
  void theFirstItemOfAnIdleLaneStartsAndLaterOnesWait() {
    SubmitLanes<String, String> lanes = new SubmitLanes<>();
    assertTrue(lanes.add("a", "a1"));
    assertFalse(lanes.add("a", "a2"));
    assertFalse(lanes.add("a", "a3"));
    assertEquals(3, lanes.size());
    assertEquals("a2", lanes.done("a"));
    assertEquals("a3", lanes.done("a"));
    assertNull(lanes.done("a"), "the lane is empty");
    assertEquals(0, lanes.size());
    assertEquals(0, lanes.active(), "an empty lane is forgotten");
  }

  @Test
  void anotherLaneDoesNotWaitBehindABusyOne() {
    SubmitLanes<String, String> lanes = new SubmitLanes<>();
    assertTrue(lanes.add("a", "a1"));
    assertFalse(lanes.add("a", "a2"));
    assertTrue(lanes.add("b", "b1"), "b starts while a1 is still in flight");
    assertEquals(2, lanes.active());
    assertNull(lanes.done("b"));
    assertEquals("a2", lanes.done("a"));
  }

  @Test
  void anItemAddedAfterTheLaneEmptiedStartsAtOnce() {
    SubmitLanes<String, String> lanes = new SubmitLanes<>();
    assertTrue(lanes.add("a", "a1"));
    assertNull(lanes.done("a"));
    assertTrue(lanes.add("a", "a2"));
  }

  @Test
  void doneOnALaneWithNothingInFlightIsABug() {
    SubmitLanes<String, String> lanes = new SubmitLanes<>();
    assertThrows(IllegalStateException.class, () -> lanes.done("nothing"));
  }
}
