package org.ipsmgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.Scrape;
import org.ipsmgw.TestPorts;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sip.Cpm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node (SIP, MSRP, SMPP against the SMSC simulator, H2 journal) after one chat with a
 * message each way: every metric name the Grafana dashboard's panels and the Prometheus alerts
 * query is in its GET /metrics, so neither can drift from what the node exports; and the metrics
 * of the chat moved — MSRP SENDs and REPORTs, journal writes, the SMPP queue and window while the
 * SMSC holds a submit_sm, cluster members.
 */
class MetricsExportIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CPM = "+447700900555";
  private static final String USER = "+447700931001";
  private static final String CHAT_HEADERS = "Conversation-ID: Conv-metrics-1\r\n"
      + "Contribution-ID: Contr-metrics-1\r\n"
      + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
      + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
  /** Made by Prometheus itself for each target, not by the node. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EdgeNode edges;
  private static CpmClient client;

  @BeforeAll
  static void start() throws Exception {
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties());
    client = new CpmClient("127.0.0.1", TestPorts.free(), CPM);
    chatWithAMessageEachWay();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (edges != null) {
      edges.close();
    }
  }

  private static int admin() {
    return edges.node.adminPort();
  }

  /**
   * INVITE → 200 → ACK, MSRP bound, a SEND asking a success REPORT, a REPORT from the client,
   * the SMS at the SMSC, an MO back as the gateway's SEND (answered 200), BYE; and one GC, for
   * the JVM's pause metrics.
   */
  private static void chatWithAMessageEachWay() throws Exception {
    EdgeNode.prefer(edges.node, USER, InvitationAction.ACCEPT);
    CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, USER, CHAT_HEADERS,
        client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    String path = CpmClient.msrpPath(ok);
    try (MsrpClient msrp = client.connectMsrp(ok)) {
      byte[] text = cpim("hello SMS");
      msrp.send(MsrpWriter.send("tx-metrics-1", path, client.msrpUri(), "m-metrics-1",
          ByteRange.whole(text.length), true, null, "message/cpim", text, '$'));
      assertEquals(200, msrp.responseTo("tx-metrics-1", WAIT).status());
      assertEquals("REPORT", msrp.nextRequest(WAIT).method(), "the success REPORT asked for");
      msrp.send(MsrpWriter.report("tx-metrics-r", path, client.msrpUri(), "m-from-gateway",
          ByteRange.whole(1), 200, "OK"));
      String dest = USER.substring(1);
      Await.until(() -> edges.smsc.submits().stream().anyMatch(s -> s.destination().equals(dest)),
          WAIT, "the chat's SMS at the SMSC");
      // From here on the client answers what the gateway sends: the receipt's IMDN, the MO.
      msrp.onRequest(f -> {
        if (f.method().equals("SEND")) {
          unchecked(() -> {
            msrp.send(MsrpWriter.response(f, client.msrpUri(), 200, "OK"));
            return null;
          });
        }
      });
      Await.until(() -> metric("ipsmgw_smpp_receipts_total{state=\"DELIVERED\"}") >= 1, WAIT,
          "the SMS's receipt");
      assertEquals(List.of(0), edges.smsc.injectMo(USER, CPM, "hello CPM"));
      Await.until(() -> metric("ipsmgw_chat_messages_total{direction=\"to_cpm\"}") >= 1, WAIT,
          "the MO accepted for the CPM user");
      Await.until(() -> metric("ipsmgw_msrp_sends_total{direction=\"out\",status=\"200\"}") >= 1, WAIT,
          "the gateway's SEND answered 200, counted");
      Await.until(() -> metric("ipsmgw_msrp_reports_total{direction=\"received\",kind=\"success\"}") >= 1, WAIT,
          "the client's REPORT counted");
    }
    client.inDialog(call, ok, Request.BYE, null);
    System.gc();
    Await.until(() -> unchecked(MetricsExportIT::names).contains("jvm_gc_pause_seconds_count"), WAIT, "a GC pause seen");
  }

  /** One sample of the node's GET /metrics (0 when the series does not exist). */
  private static double metric(String series) {
    return unchecked(() -> Scrape.value(admin(), series));
  }

  private static <T> T unchecked(java.util.concurrent.Callable<T> read) {
    try {
      return read.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A chat message asking for a delivery notification, so its SMS asks a receipt. */
  private static byte[] cpim(String text) {
    return ("From: <sip:" + CPM + "@127.0.0.1>\r\nTo: <tel:" + USER + ">\r\n"
        + "DateTime: 2026-11-24T12:00:00Z\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: imdn-" + text.hashCode() + "\r\n"
        + "imdn.Disposition-Notification: positive-delivery\r\n"
        + "\r\nContent-Type: text/plain\r\n\r\n" + text).getBytes(StandardCharsets.UTF_8);
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + admin() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /** The metric names of one scrape (each sample line's name, before its labels). */
  private static Set<String> names() throws Exception {
    return scrape().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }

  private static void assertExported(Map<String, List<String>> queries, String what)
      throws Exception {
    Set<String> exported = names();
    Map<String, Set<String>> missing = new TreeMap<>();
    queries.forEach((name, exprs) -> exprs.forEach(expr -> {
      Set<String> used = MetricQueries.names(expr);
      assertFalse(used.isEmpty(), what + " " + name + ": no metric in " + expr);
      used.stream().filter(n -> !exported.contains(n) && !PROMETHEUS_OWN.contains(n))
          .forEach(n -> missing.computeIfAbsent(name, k -> new TreeSet<>()).add(n));
    }));
    assertTrue(missing.isEmpty(), what + " query metrics the node does not export: " + missing);
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    Map<String, List<String>> panels = MetricQueries.panelQueries();
    assertTrue(panels.size() >= 14, "panels: " + panels.keySet());
    assertExported(panels, "panel");
  }

  @Test
  void everyMetricTheAlertsQueryIsExported() throws Exception {
    Map<String, List<String>> alerts = new TreeMap<>();
    MetricQueries.alertExpressions().forEach((alert, expr) -> alerts.put(alert, List.of(expr)));
    assertTrue(alerts.size() >= 5, "alerts: " + alerts.keySet());
    assertExported(alerts, "alert");
  }

  @Test
  void theChatsTrafficMovedItsMetrics() throws Exception {
    assertTrue(metric("ipsmgw_msrp_sends_total{direction=\"in\",status=\"200\"}")
        >= 1, "the client's SEND answered 200");
    assertTrue(metric("ipsmgw_msrp_reports_total{direction=\"sent\","
        + "kind=\"success\"}") >= 1, "the success REPORT the client asked for");
    assertTrue(metric("ipsmgw_journal_write_seconds_count{outcome=\"ok\"}") >= 3,
        "the chat's writes timed");
    assertEquals(1.0, metric("ipsmgw_cluster_members{status=\"up\"}"));
    assertEquals(0.0, metric("ipsmgw_cluster_unreachable"));
    assertEquals(edges.config.getInt("ipsmgw.smsc.window"),
        metric("ipsmgw_smpp_window_size"));
  }

  /** The SMSC holds the submit_sm: the queue and bind 1's window show it, then empty again. */
  @Test
  void aSubmitTheSmscHoldsIsInTheQueueAndTheWindowUntilAnswered() throws Exception {
    String user = "+447700931002";
    EdgeNode.prefer(edges.node, user, InvitationAction.ACCEPT);
    CpmClient.Call call = client.invite("127.0.0.1", edges.sipPort, user,
        CHAT_HEADERS.replace("metrics-1", "metrics-2"), client.offer("actpass"));
    Response ok = client.awaitFinal(call, WAIT);
    assertEquals(200, ok.getStatusCode());
    client.ack(call, ok);
    String path = CpmClient.msrpPath(ok);
    String window = "ipsmgw_smpp_window_used{bind=\"1\"}";
    try (MsrpClient msrp = client.connectMsrp(ok)) {
      edges.smsc.setSubmitDelay(Duration.ofSeconds(3));
      try {
        byte[] text = cpim("held by the SMSC");
        msrp.send(MsrpWriter.send("tx-metrics-2", path, client.msrpUri(), "m-metrics-2",
            ByteRange.whole(text.length), false, null, "message/cpim", text, '$'));
        assertEquals(200, msrp.responseTo("tx-metrics-2", WAIT).status());
        Await.until(() -> metric(window) == 1
            && metric("ipsmgw_smpp_queue") == 1, WAIT,
            "the held submit_sm in bind 1's window and in the queue");
      } finally {
        edges.smsc.setSubmitDelay(Duration.ZERO);
      }
      Await.until(() -> metric(window) == 0
          && metric("ipsmgw_smpp_queue") == 0, WAIT,
          "window and queue empty once the SMSC answered");
    }
    client.inDialog(call, ok, Request.BYE, null);
  }
}
