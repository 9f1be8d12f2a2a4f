package org.ipsmgw.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.session.ChatSessionCommand.Cancel;
import org.ipsmgw.session.ChatSessionCommand.CpmMessage;
import org.ipsmgw.session.ChatSessionCommand.Get;
import org.ipsmgw.session.ChatSessionCommand.Invite;
import org.ipsmgw.session.ChatSessionCommand.SmsSubmitted;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.PreferenceView;
import org.ipsmgw.subscriber.SubscriberState;
import org.junit.jupiter.api.Test;

/**
 * One scenario, run against each journal database: sessions in every lifecycle state are created
 * through sharding on a real node, the node is stopped, a new node starts on the same database,
 * and every state, identifier and preference must come back equal, with the pending invitation's
 * timers re-armed without any traffic.
 */
abstract class RecoveryScenario {
  private static final Duration ASK = Duration.ofSeconds(20);

  /** The database environment variables (IPSMGW_DB_URL and credentials) for this run. */
  abstract Map<String, String> databaseEnv();

  @Test
  void everyStateAndIdentifierSurvivesARestartOfTheNode() throws Exception {
    ActorTestKit probes = ActorTestKit.create("probes");
    try {
      scenario(probes);
    } finally {
      probes.shutdownTestKit();
    }
  }

  private void scenario(ActorTestKit probes) throws Exception {
    Map<String, ChatSessionState> before = new LinkedHashMap<>();
    Map<String, SubscriberState> subscribersBefore = new LinkedHashMap<>();
    String run = Long.toHexString(System.nanoTime());
    String awaiting = "awaiting-" + run + "@cpm.example";
    String active = "active-" + run + "@cpm.example";
    String rejected = "rejected-" + run + "@cpm.example";
    String cancelled = "cancelled-" + run + "@cpm.example";
    String userAccepting = "+4477009010" + run.substring(run.length() - 2).replaceAll("[^0-9]", "1");
    String userRejecting = "+4477009020" + run.substring(run.length() - 2).replaceAll("[^0-9]", "2");

    RecordingPorts ports1 = new RecordingPorts(probes);
    RunningNode node1 = startNode(ports1);
    try {
      preference(node1, userAccepting, InvitationAction.ACCEPT);
      preference(node1, userRejecting, InvitationAction.REJECT);

      invite(node1, awaiting, SessionFixtures.SMS_MSISDN);
      ports1.expectResponse(180);
      ports1.expectSms();

      invite(node1, active, userAccepting);
      ports1.expectResponse(200);
      CommandReply accepted = ask(node1, active,
          r -> new CpmMessage("msrp-1", "imdn-1", "héllo", ReceiptRequest.SUCCESS_AND_FAILURE, r));
      assertInstanceOf(CommandReply.Accepted.class, accepted);
      String ref = ports1.expectSms().messageRef();
      entity(node1, active).tell(new SmsSubmitted(ref, List.of("smsc-1", "smsc-2")));

      invite(node1, rejected, userRejecting);
      ports1.expectResponse(603);

      invite(node1, cancelled, SessionFixtures.SMS_MSISDN);
      ports1.expectResponse(180);
      ports1.expectSms();
      RecoveryScenario.<CloseReply>ask(node1, cancelled, Cancel::new);
      ports1.expectResponse(487);

      for (String id : List.of(awaiting, active, rejected, cancelled)) {
        before.put(id, state(node1, id));
      }
      assertEquals("AWAITING_REPLY", before.get(awaiting).stateName());
      assertEquals(List.of("smsc-1", "smsc-2"),
          ((Active) before.get(active)).translation().byRef(ref).orElseThrow().smscIds());
      assertEquals("REJECTED", before.get(rejected).stateName());
      assertEquals("CANCELLED", before.get(cancelled).stateName());
      for (String user : List.of(SessionFixtures.SMS_MSISDN, userAccepting, userRejecting)) {
        subscribersBefore.put(user, subscriber(node1, user));
      }
    } finally {
      node1.stop();
    }

    RecordingPorts ports2 = new RecordingPorts(probes);
    RunningNode node2 = startNode(ports2);
    try {
      // Remember-entities restarts the pending invitation with no traffic; its first act is a 180.
      SipResponse refresh = ports2.expectResponse(180);
      assertEquals(awaiting, refresh.sessionId());
      assertEquals(((InvitedState) before.get(awaiting)).localTag(), refresh.localTag());
      assertEquals(SessionFixtures.IDS, refresh.ids());
      for (Map.Entry<String, ChatSessionState> e : before.entrySet()) {
        assertEquals(e.getValue(), state(node2, e.getKey()), "state of " + e.getKey());
      }
      for (Map.Entry<String, SubscriberState> e : subscribersBefore.entrySet()) {
        assertEquals(e.getValue(), subscriber(node2, e.getKey()), "subscriber " + e.getKey());
      }
    } finally {
      node2.stop();
    }
  }

  private RunningNode startNode(RecordingPorts ports) throws IOException {
    Map<String, String> env = new HashMap<>(databaseEnv());
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(freePort()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(freePort()));
    Config config = NodeConfig.load(null, env, new Properties());
    return Node.start(config, ports.ports());
  }

  private static int freePort() throws IOException {
    return org.ipsmgw.TestPorts.free();
  }

  private static EntityRef<ChatSessionCommand> entity(RunningNode node, String id) {
    return ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id);
  }

  private static <R> R await(java.util.concurrent.CompletionStage<R> stage) throws Exception {
    return stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private static <R> R ask(RunningNode node, String id,
      Function<ActorRef<R>, ChatSessionCommand> command) throws Exception {
    return await(entity(node, id).ask(command::apply, ASK));
  }

  private static void invite(RunningNode node, String id, String smsUser) throws Exception {
    Invitation template = SessionFixtures.invitation(id);
    Parties p = template.parties();
    Invitation inv = new Invitation(id, template.ids(),
        new Parties(p.cpmIdentity(), p.cpmMsisdn(), p.cpmDisplayName(), smsUser), template.sip(),
        template.sdpOffer(), false, Instant.now());
    assertInstanceOf(CommandReply.Accepted.class,
        RecoveryScenario.<CommandReply>ask(node, id, r -> new Invite(inv, r)));
  }

  private static ChatSessionState state(RunningNode node, String id) throws Exception {
    return await(entity(node, id).ask(Get::new, ASK));
  }

  private static EntityRef<SmsSubscriberCommand> subscriberRef(RunningNode node, String msisdn) {
    return ClusterSharding.get(node.system()).entityRefFor(SmsSubscriber.TYPE_KEY, msisdn);
  }

  private static SubscriberState subscriber(RunningNode node, String msisdn) throws Exception {
    return await(subscriberRef(node, msisdn).ask(SmsSubscriberCommand.GetSubscriber::new, ASK));
  }

  private static void preference(RunningNode node, String msisdn, InvitationAction action)
      throws Exception {
    PreferenceView s = await(subscriberRef(node, msisdn)
        .ask(r -> new SmsSubscriberCommand.SetPreference(action, r), ASK));
    assertEquals(action, s.invitation());
  }
}
