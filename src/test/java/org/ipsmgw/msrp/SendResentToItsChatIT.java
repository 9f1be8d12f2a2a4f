package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.admin.NodeMetrics;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.CpmText;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster sharding drops a message that reaches a shard as it is handed to another node; a SEND
 * whose batch was dropped so would wait for nothing and get 408. Here the chat is a probe that
 * drops the first copy as the hand-over would: the connection gives the chat the same batch
 * again after ipsmgw.msrp.resend-after, the client gets its 200 once the copy is stored, and the
 * next SEND goes as its own batch after it. A real MSRP peer over TCP.
 */
class SendResentToItsChatIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration RESEND_AFTER = Duration.ofSeconds(1);
  private static final String CLIENT = "msrp://127.0.0.1:7397/resend-client;tcp";

  private static ProbedChatEndpoint msrp;

  @BeforeAll
  static void start() throws Exception {
    msrp = new ProbedChatEndpoint(new MsrpSettings("127.0.0.1", 0, 8192, Duration.ofSeconds(8),
        10, 64, RESEND_AFTER));
  }

  @AfterAll
  static void stop() {
    if (msrp != null) {
      msrp.close();
    }
  }

  private static double resends() {
    var c = NodeMetrics.get(msrp.kit.system()).registry().find("ipsmgw.entity.ask.resends")
        .tags("edge", "msrp", "request", "SEND").counter();
    return c == null ? 0 : c.count();
  }

  private static List<String> ids(ChatSessionCommand.CpmMessages batch) {
    return batch.messages().stream().map(CpmText::msrpMessageId).toList();
  }

  @Test
  void aBatchTheChatNeverGotIsGivenToItAgainAndItsSendAnswered200ThenTheNextGoesAlone()
      throws Exception {
    String path = msrp.newPath("resend");
    TestProbe<ChatSessionCommand> chat = msrp.chat;
    double resendsBefore = resends();
    try (MsrpClient c = new MsrpClient("127.0.0.1", msrp.endpoint.port(), CLIENT)) {
      c.send(MsrpWriter.send("bind-1", path, CLIENT, "m-bind", ByteRange.whole(0), false, null,
          "text/plain", new byte[0], '$'));
      chat.expectMessageClass(ChatSessionCommand.BindMedia.class, WAIT).replyTo()
          .tell(new BindReply.Bound("sip:alice@ims.example", "+447700900123", true));
      assertEquals(200, c.responseTo("bind-1", WAIT).status());

      c.send(ProbedChatEndpoint.text(path, CLIENT, "send-1", "one"));
      ChatSessionCommand.CpmMessages dropped = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("m-send-1"), ids(dropped));
      // Not answered, as if a hand-over had dropped it: the same batch comes again.
      ChatSessionCommand.CpmMessages copy = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("m-send-1"), ids(copy));
      assertEquals(resendsBefore + 1, resends());
      copy.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED)));
      assertEquals(200, c.responseTo("send-1", WAIT).status());

      // The next SEND is the chat's next message: no further copy of the first before it.
      c.send(ProbedChatEndpoint.text(path, CLIENT, "send-2", "two"));
      ChatSessionCommand.CpmMessages next = chat.expectMessageClass(
          ChatSessionCommand.CpmMessages.class, WAIT);
      assertEquals(List.of("m-send-2"), ids(next));
      next.replyTo().tell(new CpmMessagesReply.Each(List.of(CpmMessagesReply.Outcome.ACCEPTED)));
      assertEquals(200, c.responseTo("send-2", WAIT).status());
      assertEquals(resendsBefore + 1, resends(), "an answered batch is not given again");
    }
    chat.expectMessageClass(ChatSessionCommand.MediaClosed.class, WAIT).replyTo()
        .tell(new CommandReply.Accepted());
  }
}
