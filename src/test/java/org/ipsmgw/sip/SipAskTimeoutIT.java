package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import javax.sip.message.Request;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.sim.CpmClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIP gateway asks a chat (INVITE) or the SMS user and pager conversation (MESSAGE) and gets
 * no answer in time: the CPM client is answered 503 and the gateway counts the ask timeout by
 * request. A real CPM client over UDP; the entities are probes that never answer.
 */
class SipAskTimeoutIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String IDS = "Conversation-ID: Conv-ask-1\r\nContribution-ID: Contr-ask-1"
      + "\r\n";

  private static ProbedGateway sip;

  @BeforeAll
  static void start() throws Exception {
    sip = new ProbedGateway(p -> ProbedGateway.settings(p, Duration.ofMillis(700),
        SipSettings.DEFAULT_MAX_INVITES_IN_FLIGHT, SipSettings.DEFAULT_BUSY_RETRY_AFTER,
        Duration.ofMillis(700)),
        "+447700900555");
  }

  @AfterAll
  static void stop() {
    if (sip != null) {
      sip.close();
    }
  }

  private static double timeouts(String request) {
    var counter = sip.registry.find("ipsmgw.entity.ask.timeouts").tags("edge", "sip", "request",
        request).counter();
    return counter == null ? -1 : counter.count();
  }

  @Test
  void anInviteItsChatDoesNotAnswerIs503AndAnAskTimeout() throws Exception {
    assertEquals(0.0, timeouts("INVITE"), "registered at 0 from the start");
    CpmClient.Call call = sip.client.invite("127.0.0.1", sip.port, "+447700932001",
        IDS + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", sip.client.offer("actpass"));
    sip.chats.expectMessageClass(ChatSessionCommand.Invite.class, WAIT);
    assertEquals(503, sip.client.awaitFinal(call, WAIT).getStatusCode());
    assertEquals(1.0, timeouts("INVITE"));
  }

  /**
   * ipsmgw.sip.entity-timeout is 700 ms here: the 503 comes well before the 5 s default would
   * let it.
   */
  @Test
  void aPagerMessageNobodyStoresIs503AfterTheEntityTimeoutAndAnAskTimeout() throws Exception {
    assertEquals(0.0, timeouts("MESSAGE"), "registered at 0 from the start");
    CpmClient.Call message = sip.client.outOfDialog(Request.MESSAGE, "127.0.0.1", sip.port,
        "+447700932002", IDS + "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
            + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n", "message/cpim",
        "From: <sip:+447700900555@127.0.0.1>\r\nTo: <tel:+447700932002>\r\n"
            + "DateTime: 2026-11-30T10:00:00Z\r\n\r\nContent-Type: text/plain\r\n\r\nhi");
    assertEquals(503, sip.client.awaitFinal(message, Duration.ofSeconds(4)).getStatusCode());
    assertEquals(1.0, timeouts("MESSAGE"));
  }
}
