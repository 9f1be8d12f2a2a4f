package org.ipsmgw.msrp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SmsLimit;

/**
 * A real MSRP endpoint on a free loopback port whose every chat is one probe (it answers only
 * when a test says), for tests with a real MSRP peer over TCP.
 */
final class ProbedChatEndpoint implements AutoCloseable {
  final ActorTestKit kit = ActorTestKit.create();
  final TestProbe<ChatSessionCommand> chat = kit.createTestProbe(ChatSessionCommand.class);
  final MsrpEndpoint endpoint;

  ProbedChatEndpoint(MsrpSettings settings, SmsLimit limit) throws Exception {
    try {
      endpoint = MsrpEndpoint.start(kit.system(), settings, id -> chat.ref(), limit);
    } catch (Exception | Error e) {
      kit.shutdownTestKit();
      throw e;
    }
  }

  ProbedChatEndpoint(MsrpSettings settings) throws Exception {
    this(settings, text -> Optional.empty());
  }

  /** A path of a new chat (its Call-ID starts with {@code prefix}) on this endpoint. */
  String newPath(String prefix) {
    return new MsrpPathId(prefix + "-" + RandomIds.token() + "@127.0.0.1", RandomIds.sessionId())
        .uri("127.0.0.1", endpoint.port());
  }

  /** A whole text/plain SEND from {@code from}, its Message-ID {@code m-<tid>}. */
  static MsrpFrame text(String path, String from, String tid, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return MsrpWriter.send(tid, path, from, "m-" + tid, ByteRange.whole(b.length), false, null,
        "text/plain", b, '$');
  }

  @Override
  public void close() {
    endpoint.stop();
    kit.shutdownTestKit();
  }
}
