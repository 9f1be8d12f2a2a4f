package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.session.CpmIdentifiers;
import org.junit.jupiter.api.Test;

/** A 2xx resent within 64·T1 finds the INVITE it answers; later, or unknown, it finds none. */
class AnsweredInvitesTest {
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv", "contr", null, null);

  @Test
  void aResentOkFindsItsReInvitesRouteSetWithinTheWindowOnly() {
    AtomicLong now = new AtomicLong();
    AnsweredInvites answered = new AnsweredInvites(Duration.ofSeconds(32), now::get);
    PendingInvite.Sent reInvite = new PendingInvite.Sent(null, IDS,
        List.of("<sip:kamailio.example;lr>"), null, false);
    answered.remember("call-1", reInvite);

    now.set(Duration.ofSeconds(31).toNanos());
    assertEquals(List.of("<sip:kamailio.example;lr>"),
        answered.of("call-1").orElseThrow().routes());
    assertTrue(answered.of("call-2").isEmpty());

    now.set(Duration.ofSeconds(33).toNanos());
    assertTrue(answered.of("call-1").isEmpty(), "after 64·T1 no 2xx is resent any more");
    answered.remember("call-3", reInvite);
    assertEquals(1, answered.size(), "old answers go when a new one is remembered");
  }
}
