package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.LogCapture;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.Parties;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.ipsmgw.session.SipResponse;
import org.ipsmgw.sim.MsrpClient;
import org.junit.jupiter.api.Test;

/**
 * A chat on one node of a two-node cluster and its MSRP connection on the other: the connection
 * attaches itself across the cluster (its ref serialized in the bind), the chat's messages reach
 * it over remoting with no receptionist, the client's 200 confirms them, and when the connection
 * ends the chat, watching it from the other node, holds the next message until a new connection
 * attaches. Real TCP for MSRP and for the cluster; one H2 journal.
 */
class CrossNodeMsrpIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CLIENT = "msrp://127.0.0.1:7396/cross-node;tcp";
  private static final RecordingPorts RECORDED = new RecordingPorts();

  @Test
  void aChatReachesItsConnectionOnAnotherNodeAndHoldsItsMessagesWhenThatConnectionEnds()
      throws Exception {
    Properties p = new Properties();
    p.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    p.setProperty("ipsmgw.smsc.enabled", "off");
    try (EdgeNode edges = EdgeNode.builder().noSimulator().properties(p)
        .ports(RECORDED::sipAndSms).start()) {
      RunningNode first = edges.node;
      Map<String, String> env = new HashMap<>();
      env.put("IPSMGW_DB_URL", edges.config.getString("ipsmgw.db.url"));
      env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_SEED_NODES", "127.0.0.1:" + edges.config.getInt("ipsmgw.cluster.port"));
      RunningNode second = Node.start(NodeConfig.load(null, env, p), RECORDED::sipAndSms);
      try {
        Await.until(() -> upMembers(first) == 2 && upMembers(second) == 2, WAIT,
            "a cluster of two Up members");
        String id = "cross-node-1@127.0.0.1";
        Invitation t = SessionFixtures.invitation(id);
        Invitation inv = new Invitation(id, t.ids(), new Parties(t.parties().cpmIdentity(),
            SessionFixtures.CPM_MSISDN, "Alice", "+447700912001"), t.sip(), t.sdpOffer(), false,
            Instant.now());
        assertTrue(entity(first, id).<CommandReply>ask(r -> new ChatSessionCommand.Invite(inv, r),
            WAIT).toCompletableFuture().get(30, TimeUnit.SECONDS)
            instanceof CommandReply.Accepted);
        SipResponse ok = RECORDED.await(id, SipResponse.class, WAIT);
        assertEquals(200, ok.status());
        entity(first, id).tell(new ChatSessionCommand.AckReceived());
        // The client connects to the node that does not hold the chat.
        RunningNode remote = holds(first, id) ? second : first;
        assertTrue(holds(remote == first ? second : first, id), "the chat runs on one node");
        String path = new MsrpPathId(id, ok.msrpSessionId()).uri("127.0.0.1",
            remote.msrpPort());

        try (LogCapture log = LogCapture.attach()) {
          try (MsrpClient c = bound(remote, path, "bind1")) {
            smsFromUser(first, id, "across the cluster");
            MsrpFrame send = c.nextRequest(WAIT);
            assertEquals("across the cluster", CpimCodec.parse(send.body()).bodyText());
            c.send(MsrpWriter.response(send, CLIENT, 200, "OK"));
          }
          // "closed by its peer": the orderly end, told before the watch could fire, which
          // does not re-INVITE (a lost connection logs "gone with its node").
          Await.until(() -> log.contains("MSRP connection gone (closed by its peer)"), WAIT,
              "the chat hears, on its node, that the connection on the other ended");
        }
        smsFromUser(first, id, "while away");
        try (MsrpClient c = bound(remote, path, "bind2")) {
          MsrpFrame send = c.nextRequest(WAIT);
          assertEquals("while away", CpimCodec.parse(send.body()).bodyText(),
              "the held message, and not the one the first connection confirmed");
          c.send(MsrpWriter.response(send, CLIENT, 200, "OK"));
        }
      } finally {
        second.stop();
      }
    }
  }

  /**
   * The node of the chat's MSRP connection leaves gracefully (stop(): coordinated shutdown, its
   * ActorSystem terminates; the kill -9 case is node/MediaNodeKillIT): its connection says no
   * orderly goodbye, so the chat on the other node takes it for lost and re-INVITEs with its own
   * node's MSRP path; a connection bound there gets what the chat still owes.
   */
  @Test
  void aChatWhoseConnectionsNodeLeavesGracefullyReInvitesWithItsOwnNodesPath() throws Exception {
    Properties p = new Properties();
    p.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    p.setProperty("ipsmgw.smsc.enabled", "off");
    try (EdgeNode edges = EdgeNode.builder().noSimulator().properties(p)
        .ports(RECORDED::sipAndSms).start()) {
      RunningNode first = edges.node;
      RunningNode second = Node.start(NodeConfig.load(null, secondEnv(edges), p),
          RECORDED::sipAndSms);
      try {
        Await.until(() -> upMembers(first) == 2 && upMembers(second) == 2, WAIT,
            "a cluster of two Up members");
        String id = "cross-node-2@127.0.0.1";
        SipResponse ok = activeChat(first, id, "+447700912002");
        RunningNode chatNode = holds(first, id) ? first : second;
        RunningNode remote = chatNode == first ? second : first;
        MsrpClient c = bound(remote, new MsrpPathId(id, ok.msrpSessionId()).uri("127.0.0.1",
            remote.msrpPort()), "bind1");
        smsFromUser(chatNode, id, "before the leave");
        MsrpFrame send = c.nextRequest(WAIT);
        assertEquals("before the leave", CpimCodec.parse(send.body()).bodyText());
        c.send(MsrpWriter.response(send, CLIENT, 200, "OK"));
        smsFromUser(chatNode, id, "owed");

        remote.stop();
        c.close();
        org.ipsmgw.session.SipRequest reinvite = RECORDED.awaitRequest(id, "INVITE");
        assertEquals(ok.msrpSessionId(), reinvite.msrpSessionId(),
            "an offer of the chat's MSRP session, on the chat's node");
        try (MsrpClient again = bound(chatNode, new MsrpPathId(id, ok.msrpSessionId())
            .uri("127.0.0.1", chatNode.msrpPort()), "bind2")) {
          MsrpFrame owed = again.nextRequest(WAIT);
          assertEquals("owed", CpimCodec.parse(owed.body()).bodyText());
          again.send(MsrpWriter.response(owed, CLIENT, 200, "OK"));
        }
      } finally {
        second.stop();
      }
    }
  }

  private static Map<String, String> secondEnv(EdgeNode edges) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", edges.config.getString("ipsmgw.db.url"));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SEED_NODES", "127.0.0.1:" + edges.config.getInt("ipsmgw.cluster.port"));
    return env;
  }

  /** An accepted, ACKed chat; its 200 (recorded). */
  private static SipResponse activeChat(RunningNode node, String id, String smsUser)
      throws Exception {
    Invitation t = SessionFixtures.invitation(id);
    Invitation inv = new Invitation(id, t.ids(), new Parties(t.parties().cpmIdentity(),
        SessionFixtures.CPM_MSISDN, "Alice", smsUser), t.sip(), t.sdpOffer(), false,
        Instant.now());
    assertTrue(entity(node, id).<CommandReply>ask(r -> new ChatSessionCommand.Invite(inv, r),
        WAIT).toCompletableFuture().get(30, TimeUnit.SECONDS) instanceof CommandReply.Accepted);
    SipResponse ok = RECORDED.await(id, SipResponse.class, WAIT);
    assertEquals(200, ok.status());
    entity(node, id).tell(new ChatSessionCommand.AckReceived());
    return ok;
  }

  private static long upMembers(RunningNode node) {
    return java.util.stream.StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private static EntityRef<ChatSessionCommand> entity(RunningNode node, String id) {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id);
  }

  /** Whether the chat's entity runs on this node (its shard region's own state). */
  private static boolean holds(RunningNode node, String id) throws Exception {
    ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(node.system()).shardState(),
            r -> new GetShardRegionState(ChatSession.TYPE_KEY, r), WAIT,
            node.system().scheduler()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(id));
  }

  private static void smsFromUser(RunningNode node, String id, String text) throws Exception {
    assertTrue(entity(node, id).<CommandReply>ask(r -> new ChatSessionCommand.SmsFromUser(text,
        Instant.now(), r), WAIT).toCompletableFuture().get(30, TimeUnit.SECONDS)
        instanceof CommandReply.Accepted);
  }

  private static MsrpClient bound(RunningNode node, String path, String tid) throws Exception {
    MsrpClient c = new MsrpClient("127.0.0.1", node.msrpPort(), CLIENT);
    c.send(MsrpWriter.send(tid, path, CLIENT, "m-" + tid, ByteRange.whole(0), false, null,
        "text/plain", new byte[0], '$'));
    assertEquals(200, c.responseTo(tid, WAIT).status());
    return c;
  }
}
