package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.PreferenceView;
import org.junit.jupiter.api.Test;

/**
 * A chat outlives its node: the node that held the chat and its MSRP connection stops, a node on
 * other ports takes over from the same journal, the recovered chat re-INVITEs the CPM client with
 * the new node's MSRP path, the client reconnects, and the SMS user's next message arrives over
 * the new connection.
 */
class MediaPathFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CPM = "+447700900555";
  private static final String USER = "+447700912345";

  private static int sipPort(RunningNode node) {
    return node.system().settings().config().getInt("ipsmgw.sip.port");
  }

  @Test
  void recoveredChatReInvitesAndTheNextMessageUsesTheNewConnection() throws Exception {
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      SmscSimulator smsc = edges.smsc;
      RunningNode first = edges.node;
      Response ok;
      try {
        ClusterSharding.get(first.system()).entityRefFor(SmsSubscriber.TYPE_KEY, USER)
            .<PreferenceView>ask(r -> new SmsSubscriberCommand.SetPreference(
                InvitationAction.ACCEPT, r), WAIT).toCompletableFuture().get(20, TimeUnit.SECONDS);
        CpmClient.Call call = client.invite("127.0.0.1", sipPort(first), USER,
            "Conversation-ID: conv-fo\r\nContribution-ID: contr-fo\r\nAccept-Contact: *;"
                + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
        ok = client.awaitFinal(call, WAIT);
        assertEquals(200, ok.getStatusCode());
        client.ack(call, ok);
        client.connectMsrp(ok).close();
      } finally {
        first.stop();
      }

      RunningNode second = edges.startAnother();
      try {
        Request reinvite = client.awaitRequest(WAIT);
        assertEquals(Request.INVITE, reinvite.getMethod());
        assertEquals("conv-fo", SipText.value(reinvite, Cpm.CONVERSATION_ID));
        String sdp = new String(reinvite.getRawContent(), StandardCharsets.UTF_8);
        assertTrue(sdp.contains(":" + second.msrpPort() + "/"), "the new node's path: " + sdp);
        try (MsrpClient msrp = client.awaitReconnected(WAIT)) {
          assertEquals(List.of(0), smsc.injectMo(USER, CPM, "after failover"));
          MsrpFrame send = msrp.nextRequest(WAIT);
          assertEquals("SEND", send.method());
          assertEquals("after failover", CpimCodec.parse(send.body()).bodyText());
        }
      } finally {
        second.stop();
      }
    }
  }

  @Test
  void pendingInviteIsAnsweredStatelesslyByTheNodeThatTookOver() throws Exception {
    String user = "+447700912346";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      SmscSimulator smsc = edges.smsc;
      RunningNode first = edges.node;
      CpmClient.Call call;
      try {
        call = client.invite("127.0.0.1", sipPort(first), user,
            "Conversation-ID: conv-p\r\nContribution-ID: contr-p\r\nAccept-Contact: *;"
                + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
        Response ringing = client.awaitResponse(call, WAIT);
        while (ringing.getStatusCode() < 180) {
          ringing = client.awaitResponse(call, WAIT);
        }
        assertEquals(180, ringing.getStatusCode());
        awaitInvitationSms(smsc, user);
      } finally {
        first.stop();
      }
      RunningNode second = edges.startAnother();
      try {
        // The recovered invitation refreshes its 180 at once, from the new node, statelessly.
        assertEquals(180, client.awaitResponse(call, WAIT).getStatusCode());
        String correlation = "+" + smsc.submits().get(0).source();
        assertEquals(List.of(0), smsc.injectMo(user, correlation, "YES"));
        Response ok = client.awaitFinal(call, WAIT);
        assertEquals(200, ok.getStatusCode());
        assertEquals("conv-p", SipText.value(ok, Cpm.CONVERSATION_ID));
        assertTrue(SipText.value(ok, "Contact").contains(":" + sipPort(second) + ";"),
            "the new node's Contact: " + SipText.value(ok, "Contact"));
        client.ack(call, ok);
      } finally {
        second.stop();
      }
    }
  }

  private static void awaitInvitationSms(SmscSimulator smsc, String user) throws Exception {
    org.ipsmgw.Await.until(() -> smsc.submits().stream()
        .anyMatch(s -> s.destination().equals(user.substring(1))), WAIT,
        "an invitation SMS to " + user);
  }

}
