package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.LogCapture;
import org.ipsmgw.LogContext;
import org.ipsmgw.TestPorts;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The SIP edge's lines about a chat carry its Call-ID and session id in the MDC, whichever
 * thread writes them: the stack's (a refused INVITE), the chat's (its 200), and the callback of
 * an ask to the chat (the answer to a BYE).
 */
class SipLogContextIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String IDS = "Conversation-ID: Conv-mdc-1\r\n"
      + "Contribution-ID: Contr-mdc-1\r\n";
  private static final String CPM_TAGS = "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
  private static final Logger CHAT_REQUESTS = (Logger) LoggerFactory.getLogger(
      ChatRequests.class);
  private static EdgeNode edges;
  private static CpmClient client;

  @BeforeAll
  static void start() throws Exception {
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
    client = new CpmClient("127.0.0.1", TestPorts.free(), CPM);
  }

  @AfterAll
  static void stop() {
    CHAT_REQUESTS.setLevel(null);
    if (client != null) {
      client.close();
    }
    if (edges != null) {
      edges.close();
    }
  }

  private static LogCapture.Line line(LogCapture log, String text) throws Exception {
    Await.until(() -> log.contains(text), WAIT, "a line with " + text);
    return log.lines().stream().filter(l -> l.text().contains(text)).findFirst().orElseThrow();
  }

  private static void assertChatMdc(String callId, LogCapture.Line line) {
    assertEquals(callId, line.mdc().get(LogContext.CALL_ID), line.text());
    assertEquals(callId, line.mdc().get(LogContext.SESSION_ID), line.text());
  }

  @Test
  void aRefusedInviteIsLoggedWithItsCallIdOnTheStacksThread() throws Exception {
    try (LogCapture log = LogCapture.attach()) {
      CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, "+447700950101", IDS,
          client.offer("actpass"));
      assertEquals(488, client.awaitFinal(call, WAIT).getStatusCode());
      assertChatMdc(call.callId(),
          line(log, "[session " + call.callId() + "] INVITE refused 488"));
    }
  }

  @Test
  void aChatsResponseAndTheAnswerToItsByeCarryItsSession() throws Exception {
    String user = "+447700950102";
    EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
    CHAT_REQUESTS.setLevel(Level.DEBUG);
    try (LogCapture log = LogCapture.attach()) {
      CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, user, IDS + CPM_TAGS,
          client.offer("actpass"));
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode());
      client.ack(call, ok);
      assertChatMdc(call.callId(), line(log, "[session " + call.callId() + "] SIP 200"));

      client.inDialog(call, ok, "BYE", null);
      assertEquals(200, client.awaitFinal(call, WAIT).getStatusCode());
      assertChatMdc(call.callId(), line(log, "[session " + call.callId() + "] BYE: 200"));
    } finally {
      CHAT_REQUESTS.setLevel(null);
    }
  }
}
