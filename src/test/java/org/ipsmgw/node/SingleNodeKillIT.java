package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-node default (the jar on an H2 file) killed with SIGKILL right after it acknowledged
 * an MO SMS to the SMSC: the SMSC will not send that MO again, so only the journal can bring it to
 * the CPM user. A new node on the same file recovers the chat, re-INVITEs the client (JAIN-SIP UA,
 * real MSRP over TCP) and delivers the MO over the new connection. The client never answered the
 * MO's SEND on the old connection, so the chat cannot have counted it as handed over. With H2's
 * default write delay the MO's commit was still in the killed JVM's memory, and it never came.
 */
class SingleNodeKillIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CPM = "+447700900557";
  private static final String USER = "+447700912347";

  @TempDir
  Path dir;
  private final List<JarProcess> started = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "single-node-kill"));
    for (int i = 0; i < started.size(); i++) {
      started.get(i).stop();
      Files.write(logs.resolve("node" + (i + 1) + ".log"), started.get(i).all());
    }
  }

  @Test
  void killNineRightAfterAnMoIsAcknowledgedStillDeliversItAfterTheRestart() throws Exception {
    String journal = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults());
        CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      int sip = TestPorts.free();
      JarProcess first = node(journal, smsc, sip);
      Await.until(() -> smsc.boundSessions() == 1, WAIT, "the node bound to the SMSC");

      CpmClient.Call call = client.invite("127.0.0.1", sip, USER,
          "Conversation-ID: conv-kill\r\nContribution-ID: contr-kill\r\nAccept-Contact: *;"
              + org.ipsmgw.sip.Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode(), "accepted on the SMS user's behalf");
      client.ack(call, ok);
      MsrpClient before = client.connectMsrp(ok);
      assertEquals(200, say(client, before, CpmClient.msrpPath(ok), "to the SMS user"));
      ReceivedSubmit sms = GatewayTraffic.awaitAtSmsc(smsc, "to the SMS user", WAIT);

      assertEquals(List.of(0), smsc.injectMo(USER, sms.source(), "kept across the kill"),
          "the MO acknowledged (deliver_sm_resp ESME_ROK)");
      first.process.destroyForcibly(); // SIGKILL on Linux, at once after the acknowledgement
      assertTrue(first.process.waitFor(10, TimeUnit.SECONDS));
      assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
      before.close();

      node(journal, smsc, TestPorts.free());
      Request reinvite = client.awaitRequest(WAIT);
      assertEquals(Request.INVITE, reinvite.getMethod(), "the recovered chat's re-INVITE");
      MsrpClient after = client.awaitReconnected(WAIT);
      assertEquals("kept across the kill", GatewayTraffic.nextText(after, client.msrpUri(), WAIT),
          "the acknowledged MO, from the journal, over the new connection");
      after.close();
    }
  }

  private JarProcess node(String journal, SmscSimulator smsc, int sip) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", journal);
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(sip));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(smsc.port()));
    Path work = Files.createDirectories(dir.resolve("work" + (started.size() + 1)));
    JarProcess node = new JarProcess(work, env,
        List.of("-Dipsmgw.policy.default-invitation=ACCEPT"), "node");
    started.add(node);
    assertTrue(node.ready.get(90, TimeUnit.SECONDS) != null,
        "no ready line; stdout: " + node.out + " stderr: " + node.err);
    return node;
  }

  private static int say(CpmClient client, MsrpClient msrp, String path, String text)
      throws Exception {
    byte[] body = CpimText.of(CPM, USER, "kill-1", "positive-delivery", text)
        .getBytes(StandardCharsets.UTF_8);
    msrp.send(MsrpWriter.send("tx-kill-1", path, client.msrpUri(), "msg-kill-1",
        ByteRange.whole(body.length), false, null, "message/cpim", body, '$'));
    return msrp.responseTo("tx-kill-1", WAIT).status();
  }
}
