package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.junit.jupiter.api.Test;

/**
 * A node that drains (the first step of its graceful leave) sends new chats elsewhere and still
 * serves the ones it has: a new INVITE, a new MESSAGE and the front's OPTIONS probe get 503 with
 * the configured Retry-After, while an existing chat's re-INVITE and BYE, and the CANCEL of an
 * invitation still ringing, are answered as before. Driven by the JAIN-SIP CPM client.
 */
class DrainIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String HEADERS = "Conversation-ID: conv-drain\r\n"
      + "Contribution-ID: contr-drain\r\nAccept-Contact: *;" + Cpm.SESSION_TAG + "\r\n";

  @Test
  void afterDrainNewInvitesMessagesAndOptionsGet503WithRetryAfterAndExistingChatsAreServed()
      throws Exception {
    AtomicReference<SipGateway> gateway = new AtomicReference<>();
    Properties retryAfter = new Properties();
    retryAfter.setProperty("ipsmgw.sip.drain-retry-after", "7s");
    try (EdgeNode edges = EdgeNode.builder().properties(retryAfter).ports(p -> {
          gateway.set((SipGateway) p.sip());
          return p;
        }).start();
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      int port = edges.sipPort;
      String accepting = "+447700913001";
      EdgeNode.prefer(edges.node, accepting, InvitationAction.ACCEPT);
      CpmClient.Call chat = client.invite("127.0.0.1", port, accepting, HEADERS,
          client.offer("actpass"));
      Response ok = client.awaitFinal(chat, WAIT);
      assertEquals(200, ok.getStatusCode());
      client.ack(chat, ok);
      // An invitation still ringing (invite by SMS, the default), to be cancelled after drain.
      CpmClient.Call ringing = client.invite("127.0.0.1", port, "+447700913002", HEADERS,
          client.offer("actpass"));
      Response provisional = client.awaitResponse(ringing, WAIT);
      while (provisional.getStatusCode() < 180) {
        provisional = client.awaitResponse(ringing, WAIT);
      }
      CpmClient.Call probe = client.outOfDialog("OPTIONS", "127.0.0.1", port, accepting, null);
      assertEquals(200, client.awaitFinal(probe, WAIT).getStatusCode(), "before the drain");

      gateway.get().drain();
      gateway.get().drain(); // idempotent

      String other = "+447700913003";
      EdgeNode.prefer(edges.node, other, InvitationAction.ACCEPT);
      assertDraining(client.awaitFinal(client.invite("127.0.0.1", port, other, HEADERS,
          client.offer("actpass")), WAIT));
      assertDraining(client.awaitFinal(client.outOfDialog("OPTIONS", "127.0.0.1", port,
          accepting, null), WAIT));
      assertDraining(client.awaitFinal(client.outOfDialog("MESSAGE", "127.0.0.1", port,
          accepting, "hello"), WAIT));

      client.inDialog(chat, ok, "INVITE", client.offer("actpass"));
      Response reInviteOk = client.awaitFinal(chat, WAIT);
      assertEquals(200, reInviteOk.getStatusCode(), "an existing chat's re-INVITE");
      client.ack(chat, reInviteOk);
      client.cancel(ringing);
      Response cancelOk = client.awaitFinal(ringing, WAIT);
      assertEquals("CANCEL 200", cseqMethod(cancelOk) + " " + cancelOk.getStatusCode());
      Response terminated = client.awaitFinal(ringing, WAIT);
      assertEquals("INVITE 487", cseqMethod(terminated) + " " + terminated.getStatusCode(),
          "a ringing invitation's CANCEL");
      client.inDialog(chat, ok, "BYE", null);
      assertEquals(200, client.awaitFinal(chat, WAIT).getStatusCode(), "an existing chat's BYE");
    }
  }

  private static String cseqMethod(Response r) {
    return ((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod();
  }

  private static void assertDraining(Response r) {
    assertEquals(503, r.getStatusCode());
    RetryAfterHeader retry = (RetryAfterHeader) r.getHeader(RetryAfterHeader.NAME);
    assertNotNull(retry, "Retry-After");
    assertEquals(7, retry.getRetryAfter());
  }
}
