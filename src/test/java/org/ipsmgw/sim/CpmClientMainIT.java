package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sms.Gsm7Alphabet;
import org.junit.jupiter.api.Test;

/**
 * The {@code cpm-client} command line against a real node and SMSC simulator: a chat is invited,
 * a line is said (and becomes an SMS), the chat is ended, and a pager message is sent; what the
 * command printed shows each answer.
 */
class CpmClientMainIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aChatAndAPagerMessageFromTheCommandLine() throws Exception {
    String user = "+447700960001";
    Path data = Files.createTempDirectory("ipsmgw-cli-it");
    int sipPort = TestPorts.free();
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults())) {
      Config config = NodeConfig.load(null, Map.of(
          "IPSMGW_DB_URL", "jdbc:h2:file:" + data.resolve("journal"),
          "IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()),
          "IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()),
          "IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()),
          "IPSMGW_SIP_PORT", String.valueOf(sipPort),
          "IPSMGW_SMSC_PORT", String.valueOf(smsc.port())), new Properties());
      RunningNode node = Node.start(config);
      try {
        Await.until(() -> smsc.boundSessions() == 1, WAIT, "SMSC bound");
        org.ipsmgw.EdgeNode.prefer(node, user, InvitationAction.ACCEPT);
        String commands = "invite " + user + "\nsay hello from the command line\nbye\n"
            + "page " + user + " a pager line\nquit\n";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = CpmClientMain.run(new String[] {"--gateway", "127.0.0.1:" + sipPort,
                "--port", String.valueOf(TestPorts.free())},
            new ByteArrayInputStream(commands.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(errors, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out + errors.toString(StandardCharsets.UTF_8));
        for (String expected : List.of("> INVITE " + user, "< 200 OK [Conversation-ID ",
            "> MSRP SEND cli-1: hello from the command line", "< MSRP 200", "> BYE",
            "< 200 OK", "> MESSAGE " + user + ": a pager line", "< 202 Accepted")) {
          assertTrue(out.contains(expected), "'" + expected + "' in:\n" + out);
        }
        Await.until(() -> smsc.submits().stream().filter(s -> s.destination().equals(
            user.substring(1))).map(s -> Gsm7Alphabet.decode(s.shortMessage(), 0,
                s.shortMessage().length)).toList().containsAll(List.of(
                    "hello from the command line", "a pager line")), WAIT,
            "both lines reached the SMSC");
      } finally {
        node.stop();
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "--port|99999|--port must be a port number 1-65535, got '99999'",
      "--port|abc|--port must be a port number 1-65535, got 'abc'",
      "--gateway|127.0.0.1:abc|--gateway must be host:port with a port 1-65535, got '127.0.0.1:abc'",
      "--gateway|127.0.0.1:0|--gateway must be host:port with a port 1-65535, got '127.0.0.1:0'"})
  void aBadOptionValueExits2WithOneLineNamingIt(String option, String value, String message)
      throws Exception {
    JarRun run = JarRun.of("cpm-client", option, value);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(List.of("cpm-client: " + message), run.err(), run.toString());
    run.assertNoStackTrace();
  }
}
