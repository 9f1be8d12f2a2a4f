package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.sim.CpmClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Overload: with two new INVITEs waiting for their chats (ipsmgw.sip.max-invites-in-flight = 2),
 * a third is answered "503 Node busy" with Retry-After at once and never reaches a chat; once
 * a chat stored its INVITE, the next new one goes through. A real CPM client over UDP; the chats
 * are a probe that answers only when the test says.
 */
class SipBusyIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static ProbedGateway sip;

  @BeforeAll
  static void start() throws Exception {
    sip = new ProbedGateway(p -> ProbedGateway.settings(p, Duration.ofSeconds(20), 2,
        Duration.ofSeconds(3), SipSettings.DEFAULT_ENTITY_TIMEOUT), "+447700900556");
  }

  @AfterAll
  static void stop() {
    if (sip != null) {
      sip.close();
    }
  }

  private static CpmClient.Call invite(int n) throws Exception {
    return sip.client.invite("127.0.0.1", sip.port, "+4477009330" + n,
        "Conversation-ID: Conv-busy-" + n + "\r\nContribution-ID: Contr-busy-" + n + "\r\n"
            + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", sip.client.offer("actpass"));
  }

  private static ChatSessionCommand.Invite inviteAtChat() {
    return sip.chats.expectMessageClass(ChatSessionCommand.Invite.class, WAIT);
  }

  private static double gauge(String name) {
    var g = sip.registry.find(name).gauge();
    return g == null ? -1 : g.value();
  }

  private static double refusals() {
    var c = sip.registry.find("ipsmgw.sip.busy.refusals").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aNewInvitePastTheLimitIs503RetryAfterAtOnceAndReachesNoChat() throws Exception {
    CpmClient.Call first = invite(1);
    ChatSessionCommand.Invite atChat1 = inviteAtChat();
    assertEquals(first.callId(), atChat1.invitation().sessionId());
    invite(2);
    ChatSessionCommand.Invite atChat2 = inviteAtChat();
    assertEquals(2.0, gauge("ipsmgw.sip.invites.in.flight"));

    CpmClient.Call third = invite(3);
    Response busy = sip.client.awaitFinal(third, WAIT);
    assertEquals(503, busy.getStatusCode());
    assertEquals("Node busy", busy.getReasonPhrase());
    RetryAfterHeader retry = (RetryAfterHeader) busy.getHeader(RetryAfterHeader.NAME);
    assertNotNull(retry, "a busy 503 says when to try again");
    assertEquals(3, retry.getRetryAfter());
    assertEquals(1.0, refusals());

    // The first chat stores its INVITE: one place is free again.
    atChat1.replyTo().tell(new CommandReply.Accepted());
    sip.chats.awaitAssert(WAIT, () -> {
      assertEquals(1.0, gauge("ipsmgw.sip.invites.in.flight"));
      return null;
    });
    CpmClient.Call fourth = invite(4);
    // The chat's next INVITE is the fourth: the third never reached it.
    assertEquals(fourth.callId(), inviteAtChat().invitation().sessionId());
    assertEquals(1.0, refusals());
    atChat2.replyTo().tell(new CommandReply.Accepted());
  }
}
