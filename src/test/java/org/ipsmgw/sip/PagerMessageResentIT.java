package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sip.message.Request;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.sim.CpmClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster sharding drops a message that reaches a shard as it is handed to another node. A pager
 * MESSAGE whose batch was dropped so is given to its conversation again after
 * ipsmgw.sip.resend-after when it carries an imdn.Message-ID (the conversation takes it once by
 * that id), and is answered 202 once the copy is stored; one without is asked once, since a copy
 * would become a second SMS. A real CPM client over UDP; the conversation is a probe.
 */
class PagerMessageResentIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration RESEND_AFTER = Duration.ofSeconds(1);
  private static final Duration ENTITY_TIMEOUT = Duration.ofMillis(2500);
  private static final String CPM = "+447700900556";
  private static final String HEADERS = "Conversation-ID: Conv-resend-1\r\nContribution-ID: "
      + "Contr-resend-1\r\nAccept-Contact: *;" + Cpm.MSG_TAG + "\r\nP-Preferred-Service: "
      + Cpm.MSG_ICSI + "\r\n";

  private static ProbedGateway sip;

  @BeforeAll
  static void start() throws Exception {
    sip = new ProbedGateway(p -> new SipSettings("127.0.0.1", p, Set.of(), false, true, "",
        Duration.ofSeconds(60), SipSettings.DEFAULT_T1, SipSettings.DEFAULT_T2,
        SipSettings.DEFAULT_MAX_CALL_ID_LENGTH, SipSettings.DEFAULT_DRAIN_RETRY_AFTER,
        SipSettings.DEFAULT_INVITE_TIMEOUT, SipSettings.DEFAULT_MAX_INVITES_IN_FLIGHT,
        SipSettings.DEFAULT_BUSY_RETRY_AFTER, ENTITY_TIMEOUT, RESEND_AFTER), CPM);
  }

  @AfterAll
  static void stop() {
    if (sip != null) {
      sip.close();
    }
  }

  private static double resends() {
    var c = sip.registry.find("ipsmgw.entity.ask.resends").tags("edge", "sip", "request",
        "MESSAGE").counter();
    return c == null ? -1 : c.count();
  }

  private static CpmClient.Call message(String to, String imdnId) throws Exception {
    String cpim = "From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:" + to + ">\r\n"
        + "DateTime: 2026-12-04T10:00:00Z\r\n"
        + (imdnId == null ? "" : "NS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: "
            + imdnId + "\r\n")
        + "\r\nContent-Type: text/plain;charset=UTF-8\r\n\r\nhello";
    return sip.client.outOfDialog(Request.MESSAGE, "127.0.0.1", sip.port, to, HEADERS,
        "message/cpim", cpim);
  }

  @Test
  void aMessageWithAnImdnIdTheConversationNeverGotIsGivenAgainAndAnswered202() throws Exception {
    assertEquals(0.0, resends(), "registered at 0 from the start");
    CpmClient.Call call = message("+447700932101", "resend-imdn-1");
    PagerCommand.FromCpmBatch dropped = sip.pagers.expectMessageClass(
        PagerCommand.FromCpmBatch.class, WAIT);
    assertEquals("resend-imdn-1", dropped.messages().get(0).imdnMessageId());
    PagerCommand.FromCpmBatch copy = sip.pagers.expectMessageClass(
        PagerCommand.FromCpmBatch.class, WAIT);
    assertEquals("resend-imdn-1", copy.messages().get(0).imdnMessageId());
    copy.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED)));
    assertEquals(202, sip.client.awaitFinal(call, WAIT).getStatusCode());
    assertEquals(1.0, resends());
  }

  @Test
  void aMessageWithoutAnImdnIdIsAskedOnceAndIs503AtTheEntityTimeout() throws Exception {
    double before = resends();
    CpmClient.Call call = message("+447700932102", null);
    PagerCommand.FromCpmBatch only = sip.pagers.expectMessageClass(
        PagerCommand.FromCpmBatch.class, WAIT);
    assertEquals(null, only.messages().get(0).imdnMessageId());
    // The 503 comes at the deadline, after every copy would have gone (at 1 s and 2 s).
    assertEquals(503, sip.client.awaitFinal(call, WAIT).getStatusCode());
    sip.pagers.expectNoMessage(Duration.ZERO);
    assertEquals(before, resends());
  }
}
