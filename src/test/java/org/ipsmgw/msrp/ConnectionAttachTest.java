package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.RandomIds;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.MediaCommand;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection attaches itself to its chat with the bind, and what the chat sends it reaches the
 * peer even when it overtakes the chat's answer to the bind (the two travel separate ways); when
 * the peer closes the connection, the chat is told and answers before the connection stops (a
 * chat that ended and released its session is not asked). A real MSRP peer over TCP;
 * the chat is a probe that answers as the entity would.
 */
class ConnectionAttachTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLIENT = "msrp://127.0.0.1:7394/attach-client;tcp";

  private static ActorTestKit kit;
  /** Each chat by its Call-ID, so that what one test's connection tells its chat stays there. */
  private static final Map<String, TestProbe<ChatSessionCommand>> CHATS =
      new ConcurrentHashMap<>();
  private static MsrpEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    endpoint = MsrpEndpoint.start(kit.system(), new MsrpSettings("127.0.0.1", 0, 8192,
        Duration.ofSeconds(5), 10), id -> chat(id).ref(), text -> java.util.Optional.empty());
  }

  private static TestProbe<ChatSessionCommand> chat(String callId) {
    return CHATS.computeIfAbsent(callId, id -> kit.createTestProbe(ChatSessionCommand.class));
  }

  @AfterAll
  static void stop() {
    if (endpoint != null) {
      endpoint.stop();
    }
    kit.shutdownTestKit();
  }

  private static MediaCommand.Deliver message(String callId, String msrpSessionId, String ref,
      String text) {
    return new MediaCommand.Deliver(new MsrpMessage(callId, msrpSessionId, ref, "+447700900123",
        text, Instant.parse("2026-11-24T12:00:00Z"), new CpmIdentifiers("conv", "contrib", null,
        null), "id-" + ref));
  }

  @Test
  void whatTheChatSendsBeforeItsBindAnswerArrivesReachesThePeerAfterTheBindInOrder()
      throws Exception {
    String callId = "attach-" + RandomIds.token() + "@127.0.0.1";
    String msrpSessionId = RandomIds.sessionId();
    TestProbe<ChatSessionCommand> chat = chat(callId);
    String path = new MsrpPathId(callId, msrpSessionId).uri("127.0.0.1", endpoint.port());
    try (MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      c.send(MsrpWriter.send("bind1", path, CLIENT, "m-bind", ByteRange.whole(0), false, null,
          "text/plain", new byte[0], '$'));
      ChatSessionCommand.BindMedia bind = chat.expectMessageClass(
          ChatSessionCommand.BindMedia.class, WAIT);
      // The chat attached the connection and sends what it owes before its answer arrives.
      bind.connection().tell(message(callId, msrpSessionId, "m1", "first"));
      bind.connection().tell(message(callId, msrpSessionId, "m2", "second"));
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertEquals(200, c.responseTo("bind1", WAIT).status());
      MsrpFrame first = c.nextRequest(WAIT);
      assertEquals("first", CpimCodec.parse(first.body()).bodyText());
      assertEquals("id-m1", first.messageId().orElseThrow(), "the chat's Message-ID");
      assertEquals("second", CpimCodec.parse(c.nextRequest(WAIT).body()).bodyText());
      c.send(MsrpWriter.response(first, CLIENT, 200, "OK"));
      assertEquals(new ChatSessionCommand.MsrpDelivered("m1"),
          chat.expectMessageClass(ChatSessionCommand.MsrpDelivered.class, WAIT));
    }
  }

  @Test
  void aPeersCloseIsToldToTheChatWhichAnswersBeforeTheConnectionStops() throws Exception {
    String callId = "attach-" + RandomIds.token() + "@127.0.0.1";
    TestProbe<ChatSessionCommand> chat = chat(callId);
    TestProbe<Object> watcher = kit.createTestProbe();
    ChatSessionCommand.BindMedia bind;
    try (MsrpClient c = bound(callId, "bind2")) {
      bind = chat.expectMessageClass(ChatSessionCommand.BindMedia.class, WAIT);
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertEquals(200, c.responseTo("bind2", WAIT).status());
    }
    // The orderly close: the chat stops watching before the connection stops, so it does not
    // take the end for a lost node (which re-INVITEs).
    ChatSessionCommand.MediaClosed closed = chat.expectMessageClass(
        ChatSessionCommand.MediaClosed.class, WAIT);
    assertEquals(bind.connection(), closed.connection());
    closed.replyTo().tell(new CommandReply.Accepted());
    watcher.expectTerminated(bind.connection(), WAIT);
  }

  @Test
  void aChatThatReleasedItsSessionIsNotAskedWhenTheConnectionCloses() throws Exception {
    String callId = "attach-" + RandomIds.token() + "@127.0.0.1";
    TestProbe<ChatSessionCommand> chat = chat(callId);
    TestProbe<Object> watcher = kit.createTestProbe();
    ChatSessionCommand.BindMedia bind;
    String msrpSessionId = RandomIds.sessionId();
    try (MsrpClient c = bound(callId, msrpSessionId, "bind3")) {
      bind = chat.expectMessageClass(ChatSessionCommand.BindMedia.class, WAIT);
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertEquals(200, c.responseTo("bind3", WAIT).status());
      try (org.ipsmgw.LogCapture log = org.ipsmgw.LogCapture.attach()) {
        bind.connection().tell(new MediaCommand.Released(callId));
        // Told the same way after the release: once the connection says it no longer carries
        // the session, the release was handled, before the peer's close below.
        bind.connection().tell(message(callId, msrpSessionId, "m9", "after the release"));
        org.ipsmgw.Await.until(() -> log.contains("MSRP session this connection does not carry"),
            WAIT, "the released session no longer carried");
      }
    }
    watcher.expectTerminated(bind.connection(), WAIT);
    // Anything the connection told the chat came before it stopped, so before this marker.
    ChatSessionCommand marker = new ChatSessionCommand.AckReceived();
    chat.ref().tell(marker);
    assertEquals(marker, chat.receiveMessage(WAIT), "the ended chat was not asked");
  }

  @Test
  void aChatThatRefusedTheBindIsNotAskedWhenTheConnectionCloses() throws Exception {
    String callId = "attach-" + RandomIds.token() + "@127.0.0.1";
    TestProbe<ChatSessionCommand> chat = chat(callId);
    TestProbe<Object> watcher = kit.createTestProbe();
    ChatSessionCommand.BindMedia bind;
    try (MsrpClient c = bound(callId, "bind4")) {
      bind = chat.expectMessageClass(ChatSessionCommand.BindMedia.class, WAIT);
      bind.replyTo().tell(new org.ipsmgw.session.Refusal(481, "No such session"));
      assertEquals(481, c.responseTo("bind4", WAIT).status());
    }
    watcher.expectTerminated(bind.connection(), WAIT);
    ChatSessionCommand marker = new ChatSessionCommand.AckReceived();
    chat.ref().tell(marker);
    assertEquals(marker, chat.receiveMessage(WAIT), "the chat that did not attach was not asked");
  }

  /** A client whose empty SEND names the chat's path; the chat is asked to bind it. */
  private static MsrpClient bound(String callId, String tid) throws Exception {
    return bound(callId, RandomIds.sessionId(), tid);
  }

  private static MsrpClient bound(String callId, String msrpSessionId, String tid)
      throws Exception {
    String path = new MsrpPathId(callId, msrpSessionId).uri("127.0.0.1", endpoint.port());
    MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT);
    c.send(MsrpWriter.send(tid, path, CLIENT, "m-" + tid, ByteRange.whole(0), false, null,
        "text/plain", new byte[0], '$'));
    return c;
  }
}
