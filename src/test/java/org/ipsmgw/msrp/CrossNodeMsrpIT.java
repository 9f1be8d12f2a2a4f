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
    onTwoNodes((first, second) -> {
      String id = "cross-node-1@127.0.0.1";
      SipResponse ok = accepted(first, id);
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
    });
  }

  /**
   * A graceful leave stops a node's chat region as soon as its chats are handed off, while the
   * CPM client still sends on its MSRP connection to that node until the moved chat re-INVITEs
   * it. Here the region of the node holding the connection is shut down gracefully (its node
   * stays up, as a leaving node does for those seconds): the next SEND on that connection still
   * reaches its chat, through the other node's region, and is answered 200 (it was 408 at once).
   */
  @Test
  void aSendAfterItsNodesChatRegionStoppedGracefullyStillReachesItsChat() throws Exception {
    onTwoNodes((first, second) -> {
      String id = "region-stopped-1@127.0.0.1";
      SipResponse ok = accepted(first, id);
      Invitation inv = invitation(id, "+447700912001");
      String path = new MsrpPathId(id, ok.msrpSessionId()).uri("127.0.0.1",
          second.msrpPort());
      try (LogCapture log = LogCapture.attach(); MsrpClient c = bound(second, path, "bind1")) {
        org.apache.pekko.cluster.sharding.ClusterSharding.get(
                org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(second.system()))
            .shardRegion(ChatSession.TYPE_KEY.name())
            .tell(ShardRegion.gracefulShutdownInstance(),
                org.apache.pekko.actor.ActorRef.noSender());
        Await.until(() -> log.contains("leaving: chat region stopped"), WAIT,
            "the second node's chat region stopped");
        byte[] cpim = org.ipsmgw.sim.CpimText.of(SessionFixtures.CPM_MSISDN,
            inv.parties().smsMsisdn(), "imdn-after-stop", "positive-delivery",
            "after the region stopped").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        c.send(MsrpWriter.send("after", path, CLIENT, "m-after", ByteRange.whole(cpim.length),
            false, null, "message/cpim", cpim, '$'));
        assertEquals(200, c.responseTo("after", WAIT).status(),
            "answered by the chat, reached through the other node's region");
        assertTrue(holds(first, id), "the chat runs on the node whose region still runs");
        org.ipsmgw.session.SmsSubmission sms = RECORDED.await(id,
            org.ipsmgw.session.SmsSubmission.class, WAIT);
        assertEquals("after the region stopped", sms.text(), "the chat took it, once");
      }
    });
  }

  private interface OnTwoNodes {
    void run(RunningNode first, RunningNode second) throws Exception;
  }

  /** A cluster of two Up nodes on one H2 journal, SMSC off; the second is stopped after. */
  private static void onTwoNodes(OnTwoNodes body) throws Exception {
    Properties p = new Properties();
    p.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    p.setProperty("ipsmgw.smsc.enabled", "off");
    try (EdgeNode edges = EdgeNode.builder().noSimulator().properties(p)
        .ports(RECORDED::sipAndSms).start()) {
      RunningNode first = edges.node;
      RunningNode second = secondNode(edges, p);
      try {
        Await.until(() -> upMembers(first) == 2 && upMembers(second) == 2, WAIT,
            "a cluster of two Up members");
        body.run(first, second);
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
    onTwoNodes((first, second) -> {
      String id = "cross-node-2@127.0.0.1";
      SipResponse ok = accepted(first, id, "+447700912002");
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
    });
  }

  private static RunningNode secondNode(EdgeNode edges, Properties p) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", edges.config.getString("ipsmgw.db.url"));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SEED_NODES", "127.0.0.1:" + edges.config.getInt("ipsmgw.cluster.port"));
    return Node.start(NodeConfig.load(null, env, p), RECORDED::sipAndSms);
  }

  /** Invites the chat through {@code node}, awaits its 200 and ACKs it. */
  private static SipResponse accepted(RunningNode node, String id) throws Exception {
    return accepted(node, id, "+447700912001");
  }

  private static SipResponse accepted(RunningNode node, String id, String smsUser)
      throws Exception {
    Invitation inv = invitation(id, smsUser);
    assertTrue(entity(node, id).<CommandReply>ask(r -> new ChatSessionCommand.Invite(inv, r),
        WAIT).toCompletableFuture().get(30, TimeUnit.SECONDS)
        instanceof CommandReply.Accepted);
    SipResponse ok = RECORDED.await(id, SipResponse.class, WAIT);
    assertEquals(200, ok.status());
    entity(node, id).tell(new ChatSessionCommand.AckReceived());
    return ok;
  }

  private static Invitation invitation(String id, String smsUser) {
    Invitation t = SessionFixtures.invitation(id);
    return new Invitation(id, t.ids(), new Parties(t.parties().cpmIdentity(),
        SessionFixtures.CPM_MSISDN, "Alice", smsUser), t.sip(), t.sdpOffer(), false,
        Instant.now());
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
