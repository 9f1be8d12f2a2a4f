package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.TestPostgres;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.Test;

/**
 * A chat on node A whose CPM client's MSRP connection landed on node B, a separate JVM (the jar)
 * in the same cluster on one embedded PostgreSQL. B is killed with SIGKILL: no goodbye reaches
 * the chat, only its watch of the connection fires (once B is downed and removed). The chat, not
 * moved, re-INVITEs the client with A's MSRP path; the client (JAIN-SIP UA, real MSRP over TCP)
 * answers, reconnects to A, and a message then flows each way (CPM → SMSC simulator, MO SMS →
 * CPM). The cluster has two members, so A gets the lower cluster port: keep-majority keeps the
 * side with the lowest address when the two halves are equal.
 */
class MediaNodeKillIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CPM = "+447700900556";
  private static final String USER = "+447700912346";
  /** Invitations until one chat lands on A (its shard is A's by the coordinator's choice). */
  private static final int TRIES = 12;

  private int sent;

  @Test
  void killNineOfTheNodeHoldingTheMsrpConnectionReInvitesTheChatToItsOwnNode() throws Exception {
    try (EmbeddedPostgres postgres = TestPostgres.start()) {
      TwoMembers members = TwoMembers.on(postgres, "media_node_kill");
      Map<String, String> envA = members.envA;

      try (EdgeNode a = EdgeNode.builder().smsc(SimulatorOptions.defaults()).env(envA)
          .properties(new Properties()).start();
          CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
        int msrpB = TestPorts.free();
        Map<String, String> envB = members.envB(a.smsc.port(), msrpB);
        Path work = Files.createDirectories(Path.of("target", "media-node-kill"));
        JarProcess b = new JarProcess(work, envB, "node");
        try {
          assertTrue(b.ready.get(90, TimeUnit.SECONDS) != null,
              "no ready line; stdout: " + b.out + " stderr: " + b.err);
          Await.until(() -> upMembers(a.node) == 2, WAIT, "A and B Up in one cluster");
          Await.until(() -> a.smsc.boundSessions() == 2, WAIT, "both nodes bound to the SMSC");
          EdgeNode.prefer(a.node, USER, InvitationAction.ACCEPT);

          Response ok = chatOnA(a, client);
          String pathA = CpmClient.msrpPath(ok);
          int msrpA = a.node.msrpPort();
          assertTrue(pathA.contains(":" + msrpA + "/"), "A's MSRP path: " + pathA);
          // The client's MSRP TCP connection lands on B (as behind a load balancer).
          String pathB = pathA.replace(":" + msrpA + "/", ":" + msrpB + "/");
          MsrpClient onB = new MsrpClient("127.0.0.1", msrpB, client.msrpUri());
          assertEquals(200, bind(onB, pathB), "B binds the chat that lives on A");
          assertEquals(200, say(client, onB, pathB, "through B"));
          ReceivedSubmit first = GatewayTraffic.awaitAtSmsc(a.smsc, "through B", WAIT);

          long killed = System.nanoTime();
          b.process.destroyForcibly(); // SIGKILL on Linux
          assertTrue(b.process.waitFor(10, TimeUnit.SECONDS));
          assertEquals(137, b.process.exitValue(), "killed by SIGKILL");

          Request reinvite = client.awaitRequest(WAIT);
          long reinvited = System.nanoTime();
          assertEquals(Request.INVITE, reinvite.getMethod(), "a re-INVITE, not " + reinvite);
          String offered = CpmClient.msrpPath(reinvite);
          assertTrue(offered.contains(":" + msrpA + "/"), "A's MSRP path: " + offered);
          MsrpClient onA = client.awaitReconnected(WAIT);
          assertEquals(200, say(client, onA, offered, "through A"),
              "SEND over the connection the re-INVITE brought");
          GatewayTraffic.awaitAtSmsc(a.smsc, "through A", WAIT);
          System.out.printf("MediaNodeKillIT kill -9 of the MSRP connection's node: re-INVITE "
              + "+%d ms, first message through the new connection at the SMSC +%d ms%n",
              TimeUnit.NANOSECONDS.toMillis(reinvited - killed),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

          Await.until(() -> a.smsc.boundSessions() == 1, WAIT, "B's bind gone");
          List<Integer> status = a.smsc.injectMo(USER, first.source(), "back to CPM");
          assertEquals(List.of(0), status, "MO accepted");
          assertEquals("back to CPM", GatewayTraffic.nextText(onA, client.msrpUri(), WAIT),
              "the SMS user's message over the new connection");
          onA.close();
          onB.close();
        } finally {
          b.stop();
          Files.write(work.resolve("node-b.log"), b.all());
        }
      }
    }
  }

  /**
   * A chat accepted by A's SIP edge whose entity runs on A; a chat that landed on B is ended with
   * a BYE and another one started (B's kill must not be what moves the chat).
   */
  private static Response chatOnA(EdgeNode a, CpmClient client) throws Exception {
    for (int i = 0; i < TRIES; i++) {
      CpmClient.Call call = client.invite("127.0.0.1", a.sipPort, USER,
          "Conversation-ID: conv-mk-" + i + "\r\nContribution-ID: contr-mk-" + i
              + "\r\nAccept-Contact: *;" + org.ipsmgw.sip.Cpm.SESSION_TAG + "\r\n",
          client.offer("actpass"));
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode());
      client.ack(call, ok);
      if (holds(a.node, call.callId())) {
        return ok;
      }
      client.inDialog(call, ok, Request.BYE, null);
      assertEquals(200, client.awaitFinal(call, WAIT).getStatusCode());
    }
    throw new AssertionError("no chat landed on A in " + TRIES + " invitations");
  }

  private static boolean holds(RunningNode node, String id) throws Exception {
    ShardRegion.CurrentShardRegionState state = AskPattern.<ClusterShardingQuery,
        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(node.system()).shardState(),
            r -> new GetShardRegionState(ChatSession.TYPE_KEY, r), WAIT,
            node.system().scheduler()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(id));
  }

  private static long upMembers(RunningNode node) {
    return StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(),
        false).filter(m -> m.status() == MemberStatus.up()).count();
  }


  private static int bind(MsrpClient msrp, String path) throws Exception {
    msrp.send(MsrpWriter.send("bind-b", path, msrp.uri, "m-bind-b", ByteRange.whole(0),
        false, null, "text/plain", new byte[0], '$'));
    return msrp.responseTo("bind-b", WAIT).status();
  }

  private int say(CpmClient client, MsrpClient msrp, String path, String text) throws Exception {
    String id = "mk-" + (++sent);
    byte[] body = CpimText.of(CPM, USER, id, "positive-delivery", text)
        .getBytes(StandardCharsets.UTF_8);
    msrp.send(MsrpWriter.send("tx-" + id, path, client.msrpUri(), "msg-" + id,
        ByteRange.whole(body.length), false, null, "message/cpim", body, '$'));
    return msrp.responseTo("tx-" + id, WAIT).status();
  }
}
