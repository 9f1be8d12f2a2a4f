package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.CpmText;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection's SENDs for one chat that come while the chat is storing the ones before go to it
 * as one batch, in order, and each is answered as the chat decided it, only once it has: a real
 * MSRP peer over TCP; the chat is a probe that answers as the entity would.
 */
class ChatBatchIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLIENT = "msrp://127.0.0.1:7396/batch-client;tcp";

  private static ProbedChatEndpoint msrp;

  @BeforeAll
  static void start() throws Exception {
    msrp = new ProbedChatEndpoint(new MsrpSettings("127.0.0.1", 0, 8192, Duration.ofSeconds(5),
        10, 3));
  }

  @AfterAll
  static void stop() {
    if (msrp != null) {
      msrp.close();
    }
  }

  private static MsrpFrame text(String path, String tid, String body) {
    return ProbedChatEndpoint.text(path, CLIENT, tid, body);
  }

  private static List<String> texts(ChatSessionCommand.CpmMessages batch) {
    return batch.messages().stream().map(CpmText::text).toList();
  }

  @Test
  void sendsThatComeWhileTheChatStoresOneGoAsOneBatchInOrderEachAnsweredAsTheChatSaid()
      throws Exception {
    String path = msrp.newPath("batch");
    TestProbe<ChatSessionCommand> chat = msrp.chat;
    try (MsrpClient c = new MsrpClient("127.0.0.1", msrp.endpoint.port(), CLIENT)) {
      c.send(MsrpWriter.send("bind-1", path, CLIENT, "m-bind", ByteRange.whole(0), false, null,
          "text/plain", new byte[0], '$'));
      ChatSessionCommand.BindMedia bind = chat.expectMessageClass(
          ChatSessionCommand.BindMedia.class, WAIT);
      bind.replyTo().tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertNotNull(bind.connection());
      assertEquals(200, c.responseTo("bind-1", WAIT).status());

      c.send(text(path, "send-1", "one"));
      ChatSessionCommand.CpmMessages first = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("one"), texts(first));
      // While the chat has "one", four more come: max-batch 3 sends three, then the fourth.
      for (String t : List.of("two", "three", "four", "five")) {
        c.send(text(path, "send-" + t, t));
      }
      // The marker that the connection took all four (each waits): a SEND for another path.
      c.send(text(new MsrpPathId("other@127.0.0.1", RandomIds.sessionId()).uri("127.0.0.1",
          msrp.endpoint.port()), "marker", "x"));
      ChatSessionCommand.BindMedia other = chat.expectMessageClass(
          ChatSessionCommand.BindMedia.class, WAIT);
      other.replyTo().tell(Refusal.noSuchSession("no chat"));
      assertEquals(481, c.responseTo("marker", WAIT).status());
      chat.expectNoMessage(Duration.ZERO);

      first.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED)));
      assertEquals(200, c.responseTo("send-1", WAIT).status());
      ChatSessionCommand.CpmMessages second = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("two", "three", "four"), texts(second));
      second.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED,
          new CpmMessagesReply.Outcome(400, "Empty message"), CpmMessagesReply.Outcome.ACCEPTED)));
      assertEquals(200, c.responseTo("send-two", WAIT).status());
      assertEquals(400, c.responseTo("send-three", WAIT).status());
      assertEquals(200, c.responseTo("send-four", WAIT).status());

      ChatSessionCommand.CpmMessages third = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("five"), texts(third));
      third.replyTo().tell(Refusal.noSuchSession("Session ended"));
      assertEquals(481, c.responseTo("send-five", WAIT).status(), "a batch refused whole");
    }
    // The connection closed in order tells its chat, which answers (the connection stops then).
    chat.expectMessageClass(ChatSessionCommand.MediaClosed.class, WAIT).replyTo()
        .tell(new org.ipsmgw.session.CommandReply.Accepted());
  }
}
