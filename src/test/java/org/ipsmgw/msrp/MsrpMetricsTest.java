package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.Await;
import org.ipsmgw.RandomIds;
import org.ipsmgw.admin.NodeMetrics;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MSRP endpoint's metrics move with what happens on a real connection: the connection gauge
 * goes 1 while a peer is connected and back to 0 after it closed; a SEND its chat does not store
 * within the entity timeout is answered 408 and counted as an ask timeout; a REPORT from the peer
 * is counted by its status. The chat is a probe that answers as the entity would, or not at all.
 */
class MsrpMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLIENT = "msrp://127.0.0.1:7395/metrics-client;tcp";

  private static ActorTestKit kit;
  private static final Map<String, TestProbe<ChatSessionCommand>> CHATS =
      new ConcurrentHashMap<>();
  private static MsrpEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    endpoint = MsrpEndpoint.start(kit.system(), new MsrpSettings("127.0.0.1", 0, 8192,
        Duration.ofMillis(500), 10), id -> chat(id).ref(), text -> java.util.Optional.empty());
  }

  @AfterAll
  static void stop() {
    if (endpoint != null) {
      endpoint.stop();
    }
    kit.shutdownTestKit();
  }

  private static TestProbe<ChatSessionCommand> chat(String callId) {
    return CHATS.computeIfAbsent(callId, id -> kit.createTestProbe(ChatSessionCommand.class));
  }

  private static MeterRegistry registry() {
    return NodeMetrics.get(kit.system()).registry();
  }

  private static double connections() {
    return registry().get("ipsmgw.msrp.connections").gauge().value();
  }

  private static double counted(String name, String... tags) {
    var counter = registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A connection bound to a new chat: the path to send to, the chat's probe. */
  private record Bound(String path, TestProbe<ChatSessionCommand> chat) {}

  private static Bound bind(MsrpClient c, String tx) throws Exception {
    String callId = "metrics-" + RandomIds.token() + "@127.0.0.1";
    TestProbe<ChatSessionCommand> chat = chat(callId);
    String path = new MsrpPathId(callId, RandomIds.sessionId()).uri("127.0.0.1", endpoint.port());
    c.send(MsrpWriter.send(tx, path, CLIENT, "m-" + tx, ByteRange.whole(0), false, null,
        "text/plain", new byte[0], '$'));
    ChatSessionCommand.BindMedia bind = chat.expectMessageClass(
        ChatSessionCommand.BindMedia.class, WAIT);
    bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
    assertEquals(200, c.responseTo(tx, WAIT).status());
    return new Bound(path, chat);
  }

  @Test
  void theConnectionGaugeIsOneWhileAPeerIsConnectedAndZeroOnceItClosed() throws Exception {
    Await.until(() -> connections() == 0, WAIT, "no connection yet");
    TestProbe<ChatSessionCommand> chat;
    try (MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      chat = bind(c, "gauge1").chat();
      assertEquals(1.0, connections());
    }
    chat.expectMessageClass(ChatSessionCommand.MediaClosed.class, WAIT).replyTo()
        .tell(new CommandReply.Accepted());
    Await.until(() -> connections() == 0, WAIT, "the closed connection no longer counted");
  }

  @Test
  void aSendItsChatDoesNotStoreInTimeIs408AndAnAskTimeout() throws Exception {
    double before = counted("ipsmgw.entity.ask.timeouts", "edge", "msrp", "request", "SEND");
    double timeouts408 = counted("ipsmgw.msrp.sends", "direction", "in", "status", "408");
    try (MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      Bound b = bind(c, "silent1");
      byte[] text = ("From: <sip:alice@ims.example>\r\nTo: <tel:+447700900123>\r\n"
          + "DateTime: 2026-11-24T12:00:00Z\r\n\r\nContent-Type: text/plain\r\n\r\nhi")
          .getBytes(StandardCharsets.UTF_8);
      c.send(MsrpWriter.send("silent2", b.path(), CLIENT, "m-silent2",
          ByteRange.whole(text.length), false, null, "message/cpim", text, '$'));
      // The chat gets the message and never answers.
      b.chat().expectMessageClass(ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(408, c.responseTo("silent2", WAIT).status());
      assertEquals(before + 1, counted("ipsmgw.entity.ask.timeouts", "edge", "msrp", "request",
          "SEND"));
      assertEquals(timeouts408 + 1, counted("ipsmgw.msrp.sends", "direction", "in", "status",
          "408"));
    }
  }

  @Test
  void aReportFromThePeerIsCountedByItsStatus() throws Exception {
    double failures = counted("ipsmgw.msrp.reports", "direction", "received", "kind", "failure");
    try (MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      Bound b = bind(c, "report1");
      c.send(MsrpWriter.report("report2", b.path(), CLIENT, "m-ours", ByteRange.whole(1), 403,
          "Not delivered"));
      // A SEND after it is answered only once the REPORT before it was handled.
      c.send(MsrpWriter.send("report3", b.path(), CLIENT, "m-report3", ByteRange.whole(0), false,
          null, "text/plain", new byte[0], '$'));
      assertEquals(200, c.responseTo("report3", WAIT).status());
      assertEquals(failures + 1, counted("ipsmgw.msrp.reports", "direction", "received", "kind",
          "failure"));
    }
  }
}
