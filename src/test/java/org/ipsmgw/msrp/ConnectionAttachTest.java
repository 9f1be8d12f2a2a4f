package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.RandomIds;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
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
 * the connection closes, the chat, watching it, hears that it ended. A real MSRP peer over TCP;
 * the chat is a probe that answers as the entity would.
 */
class ConnectionAttachTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLIENT = "msrp://127.0.0.1:7394/attach-client;tcp";

  private static ActorTestKit kit;
  private static TestProbe<ChatSessionCommand> chat;
  private static MsrpEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create();
    chat = kit.createTestProbe(ChatSessionCommand.class);
    endpoint = MsrpEndpoint.start(kit.system(), new MsrpSettings("127.0.0.1", 0, 8192,
        Duration.ofSeconds(5), 10), id -> chat.ref(), text -> java.util.Optional.empty());
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
  void aChatWatchingItsConnectionHearsWhenThePeerCloses() throws Exception {
    String callId = "attach-" + RandomIds.token() + "@127.0.0.1";
    String path = new MsrpPathId(callId, RandomIds.sessionId()).uri("127.0.0.1",
        endpoint.port());
    TestProbe<Object> watcher = kit.createTestProbe();
    ChatSessionCommand.BindMedia bind;
    try (MsrpClient c = new MsrpClient("127.0.0.1", endpoint.port(), CLIENT)) {
      c.send(MsrpWriter.send("bind2", path, CLIENT, "m-bind2", ByteRange.whole(0), false, null,
          "text/plain", new byte[0], '$'));
      bind = chat.expectMessageClass(ChatSessionCommand.BindMedia.class, WAIT);
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertEquals(200, c.responseTo("bind2", WAIT).status());
    }
    watcher.expectTerminated(bind.connection(), WAIT);
  }
}
