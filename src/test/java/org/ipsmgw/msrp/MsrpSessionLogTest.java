package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.LogCapture;
import org.ipsmgw.LogContext;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.MediaCommand;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SmsLimit;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The log lines of the MSRP edge about a bound chat carry the chat's Call-ID as session id and
 * Call-ID in the MDC, whichever message led to them (the peer's frames, the chat's answers, its
 * messages for the CPM user); a path no chat admitted puts nothing there. A real MSRP peer over
 * TCP; the chat is a probe that answers as the entity would.
 */
class MsrpSessionLogTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLIENT = "msrp://127.0.0.1:7394/mdc-client;tcp";
  private static final SmsLimit TWENTY_CHARACTERS = text -> text.length() > 20
      ? Optional.of(new Refusal(413, "Message too long for SMS (test limit)"))
      : Optional.empty();

  private static ProbedChatEndpoint msrp;
  private static TestProbe<ChatSessionCommand> chat;
  private static MsrpEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    msrp = new ProbedChatEndpoint(new MsrpSettings("127.0.0.1", 0, 8192, Duration.ofSeconds(5),
        10), TWENTY_CHARACTERS);
    chat = msrp.chat;
    endpoint = msrp.endpoint;
  }

  @AfterAll
  static void stop() {
    if (msrp != null) {
      msrp.close();
    }
  }

  private static MsrpFrame text(String path, String from, String tid, String body) {
    return ProbedChatEndpoint.text(path, from, tid, body);
  }

  @Test
  void everyLineAboutABoundChatCarriesItsIdsInTheMdc() throws Exception {
    String callId = "mdc-" + RandomIds.token() + "@127.0.0.1";
    String msrpSessionId = RandomIds.sessionId();
    String path = new MsrpPathId(callId, msrpSessionId).uri("127.0.0.1", endpoint.port());
    String stranger = "stranger-" + RandomIds.token() + "@127.0.0.1";
    String strangerPath = new MsrpPathId(stranger, RandomIds.sessionId())
        .uri("127.0.0.1", endpoint.port());
    try (LogCapture log = LogCapture.attach();
        MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      c.send(MsrpWriter.send("bind1", path, CLIENT, "m-bind", ByteRange.whole(0), false, null,
          "text/plain", new byte[0], '$'));
      ChatSessionCommand.BindMedia bind = chat.expectMessageClass(
          ChatSessionCommand.BindMedia.class, WAIT);
      assertEquals(msrpSessionId, bind.msrpSessionId());
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertNotNull(bind.connection(), "the connection attaches itself with the bind");
      assertEquals(200, c.responseTo("bind1", WAIT).status());

      // From the peer's frames: a 413 (INFO) and a foreign From-Path (WARN).
      c.send(text(path, CLIENT, "long1", "far too long for the limit of this test"));
      assertEquals(413, c.responseTo("long1", WAIT).status());
      c.send(text(path, "msrp://127.0.0.1:7395/intruder;tcp", "spoof1", "hi"));
      assertEquals(403, c.responseTo("spoof1", WAIT).status());

      // From the chat's message: its chunk is answered 500, which the edge logs.
      bind.connection().tell(new MediaCommand.Deliver(new MsrpMessage(callId, msrpSessionId,
          "ref-1", "+447700900123", "hello", Instant.parse("2026-11-24T12:00:00Z"),
          new CpmIdentifiers("conv", "contrib", null, null), "id-ref-1")));
      MsrpFrame out = c.nextRequest(WAIT);
      c.send(MsrpWriter.response(out, CLIENT, 500, "Broken"));

      // The marker: a good SEND after all of that is persisted and answered.
      c.send(text(path, CLIENT, "okay1", "fine"));
      ChatSessionCommand.CpmMessages m = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      m.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED)));
      assertEquals(200, c.responseTo("okay1", WAIT).status());

      // A path whose chat refuses: its line is about no admitted session.
      c.send(text(strangerPath, CLIENT, "str1", "hi"));
      ChatSessionCommand.BindMedia refused = chat.expectMessageClass(
          ChatSessionCommand.BindMedia.class, WAIT);
      refused.replyTo().tell(Refusal.noSuchSession("no chat"));
      assertEquals(481, c.responseTo("str1", WAIT).status());

      List<LogCapture.Line> about = log.lines().stream()
          .filter(l -> l.logger().startsWith("org.ipsmgw.msrp"))
          .filter(l -> l.text().contains("[session " + callId + "]")).toList();
      assertTrue(about.stream().anyMatch(l -> l.text().contains("bound")), "bind: " + about);
      assertTrue(about.stream().anyMatch(l -> l.text().contains("413")), "413: " + about);
      assertTrue(about.stream().anyMatch(l -> l.text().contains("403")), "403: " + about);
      assertTrue(about.stream().anyMatch(l -> l.text().contains("answered 500")),
          "chunk answer: " + about);
      for (LogCapture.Line l : about) {
        assertEquals(callId, l.mdc().get(LogContext.SESSION_ID), l.text());
        assertEquals(callId, l.mdc().get(LogContext.CALL_ID), l.text());
      }
      List<LogCapture.Line> strangers = log.lines().stream()
          .filter(l -> l.logger().startsWith("org.ipsmgw.msrp"))
          .filter(l -> l.text().contains("names no active chat")).toList();
      assertEquals(1, strangers.size(), String.valueOf(strangers));
      assertFalse(strangers.get(0).mdc().containsKey(LogContext.SESSION_ID),
          "a path no chat admitted is no session: " + strangers.get(0).mdc());
    }
  }
}
