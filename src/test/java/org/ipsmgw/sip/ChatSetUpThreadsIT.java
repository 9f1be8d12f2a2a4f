package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.Test;

/**
 * The answers to a chat set-up's asks (the SIP gateway's INVITE and BYE, the chat's admission by
 * its subscriber) start no thread each. They used to run on a new thread each: a Pekko ask answers with a Scala future whose
 * Java view runs every callback asynchronously, on the JDK's default executor, which on two
 * cores is a new thread per task (6,500 threads in a 20 s set-up storm). No SMS is sent here
 * (ACCEPT by policy, no teardown SMS), so no other edge's answers start threads meanwhile.
 */
class ChatSetUpThreadsIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String IDS = "Conversation-ID: Conv-threads\r\n"
      + "Contribution-ID: Contr-threads\r\n"
      + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";

  @Test
  void chatSetUpsStartNoThreadPerAnswer() throws Exception {
    Properties keys = new Properties();
    keys.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    keys.setProperty("ipsmgw.policy.teardown-sms", "false");
    int setUps = 30;
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), keys);
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), "+447700900777")) {
      setUp(client, edges, "+447700911000"); // the first starts the client's connection
      var threads = ManagementFactory.getThreadMXBean();
      long before = threads.getTotalStartedThreadCount();
      for (int i = 1; i <= setUps; i++) {
        setUp(client, edges, "+4477009" + (11000 + i));
      }
      long started = threads.getTotalStartedThreadCount() - before;
      assertTrue(started < setUps / 2, started + " threads started for " + setUps + " set-ups");
    }
  }

  private static void setUp(CpmClient client, EdgeNode edges, String smsUser) throws Exception {
    CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, smsUser, IDS,
        client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    client.inDialog(call, ok, Request.BYE, null);
    assertEquals(200, client.awaitFinal(call, WAIT).getStatusCode());
  }
}
