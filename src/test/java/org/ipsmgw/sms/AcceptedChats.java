package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.MediaCommand;
import org.ipsmgw.session.Parties;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.session.SipResponse;

/**
 * Chats the SMPP tests start from: accepted (policy ACCEPT) on a node's sharded entities by
 * commands, the 200 ACKed, and bound by a recorded MSRP connection, since a chat sends its
 * messages and notices only to the connection attached to it.
 */
final class AcceptedChats {
  private final ActorSystem<?> system;
  private final RecordingPorts effects;
  private final Duration wait;

  AcceptedChats(ActorSystem<?> system, RecordingPorts effects, Duration wait) {
    this.system = system;
    this.effects = effects;
    this.wait = wait;
  }

  /** An active chat {@code id} between the fixture's CPM user and {@code smsUser}. */
  String accept(String id, String smsUser) throws Exception {
    Invitation t = SessionFixtures.invitation(id);
    Invitation invitation = new Invitation(id, t.ids(), new Parties(t.parties().cpmIdentity(),
        SessionFixtures.CPM_MSISDN, "Alice", smsUser), t.sip(), t.sdpOffer(), false,
        Instant.now());
    assertTrue(ask(id, r -> new ChatSessionCommand.Invite(invitation, r))
        instanceof CommandReply.Accepted);
    SipResponse ok = effects.await(id, SipResponse.class, wait);
    assertEquals(200, ok.status());
    chat(id).tell(new ChatSessionCommand.AckReceived());
    ActorRef<MediaCommand> msrp = RecordingPorts.connection(system);
    assertTrue(chat(id).<BindReply>ask(
            r -> new ChatSessionCommand.BindMedia(ok.msrpSessionId(), msrp, r), wait)
        .toCompletableFuture().get(wait.toSeconds(), TimeUnit.SECONDS) instanceof BindReply.Bound);
    return id;
  }

  CommandReply ask(String id, Function<ActorRef<CommandReply>, ChatSessionCommand> command)
      throws Exception {
    return chat(id).ask(command::apply, wait).toCompletableFuture()
        .get(wait.toSeconds(), TimeUnit.SECONDS);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ChatSessionCommand> chat(
      String id) {
    return ClusterSharding.get(system).entityRefFor(ChatSession.TYPE_KEY, id);
  }
}
