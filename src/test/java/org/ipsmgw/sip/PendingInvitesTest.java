package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ipsmgw.session.CpmIdentifiers;
import org.junit.jupiter.api.Test;

/** One entry per pending INVITE, gone with its final response or timeout. */
class PendingInvitesTest {
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv", "contr", null, null);

  private static PendingInvite.Sent first() {
    return new PendingInvite.Sent(null, IDS, null, "msrp-1", false);
  }

  private static PendingInvite.Sent reInvite() {
    return new PendingInvite.Sent(null, IDS, List.of("<sip:p1;lr>"), null, false);
  }

  @Test
  void aReInviteThatGetsNoOkLeavesNothingBehind() {
    PendingInvites pending = new PendingInvites();
    pending.addSent("call-1", reInvite());
    assertEquals(1, pending.size());

    // A 481 or 408 to the re-INVITE: a final response that is no 2xx.
    assertEquals(List.of("<sip:p1;lr>"), pending.ended("call-1").orElseThrow().routes());
    assertEquals(0, pending.size());
    assertTrue(pending.ended("call-1").isEmpty());
  }

  @Test
  void aCancelledInviteStaysMarkedUntilItsFinalResponse() {
    PendingInvites pending = new PendingInvites();
    pending.addSent("call-2", first());

    assertTrue(pending.cancel("call-2").isPresent());
    assertTrue(pending.cancel("call-2").isEmpty(), "a second CANCEL has nothing to cancel");
    assertEquals(1, pending.size());
    PendingInvite.Sent ended = pending.ended("call-2").orElseThrow();
    assertTrue(ended.cancelled());
    assertEquals(IDS, ended.ids());
    assertEquals(0, pending.size());
  }

  @Test
  void onlyTheFirstInviteCanBeCancelled() {
    PendingInvites pending = new PendingInvites();
    pending.addSent("call-3", reInvite());
    assertTrue(pending.cancel("call-3").isEmpty());
    assertTrue(pending.cancel("no-such-call").isEmpty());
  }

  @Test
  void aReceivedInviteIsHeldUntilAnsweredAndIsNoSentOne() {
    PendingInvites pending = new PendingInvites();
    pending.addReceived("call-4", new PendingInvite.Received(null, "passive", "msrp://x:1/a;tcp"));

    assertTrue(pending.ended("call-4").isEmpty(), "a response to our INVITE is not its end");
    assertEquals("passive", pending.received("call-4").orElseThrow().offeredSetup());
    assertEquals(1, pending.size());
    assertEquals("msrp://x:1/a;tcp", pending.answered("call-4").orElseThrow().offeredPath());
    assertEquals(0, pending.size());
    assertTrue(pending.received("call-4").isEmpty());
  }

  @Test
  void answeringDoesNotTakeTheGatewaysOwnInvite() {
    PendingInvites pending = new PendingInvites();
    pending.addSent("call-5", first());
    assertTrue(pending.answered("call-5").isEmpty());
    assertEquals(1, pending.size());
  }
}
