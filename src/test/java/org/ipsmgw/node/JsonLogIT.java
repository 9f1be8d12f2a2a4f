package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.TestPorts;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with {@code IPSMGW_LOG_FORMAT=json}: every stdout line is one JSON object with the
 * logstash fields, a chat's lines carry its session id as a field, and the chat's text is on no
 * line. Without it the output stays the plain lines.
 */
class JsonLogIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CPM = "+447700900561";
  private static final String USER = "+447700912361";
  private static final String TEXT = "json-log body 7f3a";
  private static final Pattern PLAIN = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ - .*");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SmscSimulator smsc;

  @TempDir
  Path workDir;
  private final List<JarProcess> started = new ArrayList<>();

  @BeforeAll
  static void startSmsc() throws IOException {
    smsc = SmscSimulator.start(SimulatorOptions.defaults());
  }

  @AfterAll
  static void stopSmsc() {
    smsc.close();
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (JarProcess p : started) {
      p.stop();
    }
  }

  @Test
  void jsonLinesCarryTheLogstashFieldsAndTheSessionIdOfAChat() throws Exception {
    Map<String, String> env = ports();
    env.put("IPSMGW_LOG_FORMAT", "json");
    int sip = Integer.parseInt(env.get("IPSMGW_SIP_PORT"));
    JarProcess node = start(env);
    assertTrue(node.ready.get(60, TimeUnit.SECONDS) != null,
        "no ready line; stdout: " + node.out + " stderr: " + node.err);
    String callId;
    try (CpmClient client = new CpmClient("127.0.0.1", TestPorts.free(), CPM)) {
      CpmClient.Call call = client.invite("127.0.0.1", sip, USER,
          "Conversation-ID: conv-json\r\nContribution-ID: contr-json\r\nAccept-Contact: *;"
              + org.ipsmgw.sip.Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
      callId = call.callId();
      Response ok = client.awaitFinal(call, WAIT);
      assertEquals(200, ok.getStatusCode(), "accepted (default-invitation = ACCEPT)");
      client.ack(call, ok);
      try (MsrpClient msrp = client.connectMsrp(ok)) {
        String path = CpmClient.msrpPath(ok);
        byte[] body = CpimText.of(CPM, USER, "json-1", "positive-delivery", TEXT)
            .getBytes(StandardCharsets.UTF_8);
        msrp.send(MsrpWriter.send("tx-json", path, client.msrpUri(), "msg-json",
            ByteRange.whole(body.length), false, null, "message/cpim", body, '$'));
        assertEquals(200, msrp.responseTo("tx-json", WAIT).status());
        Await.until(() -> smsc.submits().stream().anyMatch(s -> TEXT.equals(s.text())), WAIT,
            "the chat's text at the SMSC");
      }
    }
    Await.until(() -> parsed(node).stream().anyMatch(j -> isSessionLine(j, callId)), WAIT,
        "an INFO line of the chat with sessionId " + callId + "; stdout: " + node.out);
    terminate(node);

    List<JsonNode> lines = parsed(node);
    assertEquals(node.out.size(), lines.size(), "every stdout line is a JSON object");
    for (JsonNode j : lines) {
      for (String field : List.of("@timestamp", "level", "logger_name", "message")) {
        assertTrue(j.hasNonNull(field), field + " in " + j);
      }
      OffsetDateTime.parse(j.get("@timestamp").asText());
      assertTrue(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")
          .contains(j.get("level").asText()), j.toString());
      for (String key : iterable(j.fieldNames())) {
        assertTrue(List.of("@timestamp", "@version", "message", "logger_name", "thread_name",
            "level", "level_value", "stack_trace", "tags", "sessionId", "callId", "smsUser")
            .contains(key), "only the documented fields; " + key + " in " + j);
      }
    }
    JsonNode session = lines.stream().filter(j -> isSessionLine(j, callId)).findFirst()
        .orElseThrow();
    assertTrue(session.get("message").asText().contains("[session " + callId + "]"),
        "the message keeps its [session <id>]: " + session);
    assertTrue(lines.stream().anyMatch(j -> j.get("message").asText()
        .startsWith("ipsmgw node ready")), "the ready line");
    assertTrue(lines.stream().anyMatch(j -> callId.equals(text(j, "callId"))
        && USER.equals(text(j, "smsUser"))), "a line with the chat's callId and SMS user");
    assertFalse(String.join("\n", node.out).contains(TEXT), "the chat's text in the log");
    assertTrue(node.err.isEmpty(), "stderr: " + node.err);
  }

  @Test
  void withoutTheOptionTheLinesStayPlain() throws Exception {
    JarProcess node = start(ports());
    assertTrue(node.ready.get(60, TimeUnit.SECONDS) != null,
        "no ready line; stdout: " + node.out + " stderr: " + node.err);
    terminate(node);
    assertFalse(node.out.isEmpty());
    for (String line : node.out) {
      assertTrue(PLAIN.matcher(line).matches() || line.startsWith("\t") || line.isBlank(),
          "a plain line: " + line);
    }
    assertTrue(node.out.stream().anyMatch(l -> l.contains(" INFO ")
        && l.contains(" - ipsmgw node ready")), "the plain ready line: " + node.out);
  }

  private JarProcess start(Map<String, String> env) throws IOException {
    JarProcess p = new JarProcess(workDir, env,
        List.of("-Dipsmgw.policy.default-invitation=ACCEPT"), "node");
    started.add(p);
    return p;
  }

  /** kill -TERM and the exit, so the leave's lines are in the output too. */
  private static void terminate(JarProcess node) throws Exception {
    Process term = new ProcessBuilder("kill", "-TERM", String.valueOf(node.process.pid()))
        .inheritIO().start();
    assertTrue(term.waitFor(10, TimeUnit.SECONDS) && term.exitValue() == 0, "kill -TERM failed");
    assertEquals(0, node.exitCode(60), "stdout: " + node.out + " stderr: " + node.err);
  }

  private static boolean isSessionLine(JsonNode j, String callId) {
    return callId.equals(text(j, "sessionId")) && "INFO".equals(text(j, "level"));
  }

  private static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null ? null : v.asText();
  }

  private static List<JsonNode> parsed(JarProcess node) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : node.out) {
      try {
        JsonNode j = JSON.readTree(line);
        if (j != null && j.isObject()) {
          lines.add(j);
        }
      } catch (IOException e) {
        // Not JSON: the count check names it.
      }
    }
    return lines;
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  private static Map<String, String> ports() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SMSC_PORT", String.valueOf(smsc.port()));
    env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    return env;
  }
}
