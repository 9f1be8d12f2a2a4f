package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ipsmgw.Await;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.Test;

/**
 * The simulator's batch MO injection over its HTTP control, to a real jsmpp ESME:
 * {@code POST /mo/batch} answers at once with the first id, every MO reaches the ESME (each
 * pair's in the order given), and {@code GET /mo/results} lists each outcome once with its
 * status and times; bad batches get 400 with a reason. The one-at-a-time {@code POST /mo} still
 * answers with its statuses.
 */
class SmscControlBatchIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aBatchIsAnsweredAtOnceSentInOrderPerPairAndEveryOutcomeListedOnce() throws Exception {
    SMPPSession esme = new SMPPSession();
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults());
        SmscControl control = new SmscControl(smsc, "127.0.0.1", 0)) {
      Map<String, List<String>> byPair = new ConcurrentHashMap<>();
      esme.setMessageReceiverListener(new DeliverSmListener(sm ->
          byPair.computeIfAbsent(sm.getSourceAddr() + ">" + sm.getDestAddress(),
              k -> new CopyOnWriteArrayList<>()).add(new String(sm.getShortMessage(),
                  StandardCharsets.US_ASCII))));
      esme.connectAndBind("127.0.0.1", smsc.port(), new BindParameter(BindType.BIND_TRX, "it",
          "", "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
      Await.until(() -> smsc.boundSessions() == 1, java.time.Duration.ofSeconds(10),
          "the ESME bound");
      String base = "http://127.0.0.1:" + control.port();
      HttpClient http = HttpClient.newHttpClient();

      List<Map<String, String>> batch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        for (String user : List.of("+447700900001", "+447700900002", "+447700900003")) {
          batch.add(Map.of("from", user, "to", "+447700900555", "text", "m" + i));
        }
      }
      HttpResponse<String> posted = post(http, base + "/mo/batch", JSON.writeValueAsString(batch));
      assertEquals(200, posted.statusCode(), posted.body());
      assertEquals("{\"first\":1,\"count\":120}", posted.body());

      List<JsonNode> results = new ArrayList<>();
      long until = System.currentTimeMillis() + 20_000;
      while (results.size() < 120 && System.currentTimeMillis() < until) {
        JsonNode page = JSON.readTree(get(http, base + "/mo/results?from=" + results.size()
            + "&wait-ms=1000").body());
        page.forEach(results::add);
      }
      assertEquals(120, results.size());
      Map<Long, Integer> seen = new HashMap<>();
      for (JsonNode r : results) {
        seen.merge(r.get("id").asLong(), 1, Integer::sum);
        assertEquals("[0]", r.get("statuses").toString(), r.toString());
        assertTrue(r.get("answered").asLong() >= r.get("sent").asLong(), r.toString());
      }
      assertEquals(120, seen.size(), "ids 1..120 each once");
      assertTrue(seen.keySet().stream().allMatch(id -> id >= 1 && id <= 120), seen.toString());
      List<String> inOrder = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "m" + i)
          .toList();
      for (String user : List.of("447700900001", "447700900002", "447700900003")) {
        assertEquals(inOrder, byPair.get(user + ">447700900555"), user);
      }
      // A long poll with nothing new answers an empty list once its wait is over.
      assertEquals("[]", get(http, base + "/mo/results?from=120&wait-ms=100").body());

      HttpResponse<String> notJson = post(http, base + "/mo/batch", "{not json");
      assertEquals(400, notJson.statusCode());
      assertTrue(notJson.body().contains("JSON array"), notJson.body());
      HttpResponse<String> noText = post(http, base + "/mo/batch",
          "[{\"from\":\"+447700900001\",\"to\":\"+447700900555\"}]");
      assertEquals(400, noText.statusCode());
      assertTrue(noText.body().contains("from, to and text"), noText.body());
      HttpResponse<String> badWait = get(http, base + "/mo/results?from=0&wait-ms=99999");
      assertEquals(400, badWait.statusCode(), badWait.body());

      HttpResponse<String> one = post(http, base + "/mo?from=%2B447700900004&to=%2B447700900555",
          "one");
      assertEquals("{\"parts\":1,\"statuses\":[0]}", one.body());
    } finally {
      esme.unbindAndClose();
    }
  }

  private static HttpResponse<String> post(HttpClient http, String uri, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient http, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
