package org.ipsmgw.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The SMSC simulator's HTTP control ({@code ipsmgw.jar smsc-sim --control-port}): inject an MO
 * ({@code POST /mo}), list the accepted submits ({@code GET /submits}), read its status.
 */
final class SmscControl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  SmscControl(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  /** Injects an MO; completes with each part's deliver_sm_resp status (-1: none). */
  CompletableFuture<List<Integer>> mo(String from, String to, String text, Duration timeout) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/mo?from=" + enc(from) + "&to="
            + enc(to))).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("POST /mo answered " + r.statusCode());
      }
      try {
        Map<?, ?> answer = JSON.readValue(r.body(), Map.class);
        List<Integer> statuses = new ArrayList<>();
        for (Object s : (List<?>) answer.get("statuses")) {
          statuses.add(((Number) s).intValue());
        }
        return statuses;
      } catch (IOException e) {
        throw new IllegalStateException("POST /mo answer unreadable: " + e.getMessage());
      }
    });
  }

  /** Most MO one {@code POST /mo/batch} may carry (the simulator's bound). */
  static final int MAX_BATCH = 10_000;

  /** Queues MO at the simulator ({@code POST /mo/batch}); returns the first one's id. */
  long moBatch(List<Map<String, String>> batch) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/mo/batch"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch))).build();
    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("POST /mo/batch answered " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return ((Number) JSON.readValue(r.body(), Map.class).get("first")).longValue();
  }

  /**
   * The outcomes of batched MO from the {@code from}-th completed on, the simulator waiting up
   * to {@code waitMs} for one when none is new.
   */
  List<MoInjector.Outcome> moResults(int from, int waitMs) throws IOException,
      InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/mo/results?from=" + from
        + "&wait-ms=" + waitMs)).timeout(Duration.ofMillis(waitMs + 30_000L)).GET().build();
    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET /mo/results answered " + r.statusCode());
    }
    List<MoInjector.Outcome> out = new ArrayList<>();
    for (Object o : JSON.readValue(r.body(), List.class)) {
      Map<?, ?> m = (Map<?, ?>) o;
      List<Integer> statuses = new ArrayList<>();
      for (Object s : (List<?>) m.get("statuses")) {
        statuses.add(((Number) s).intValue());
      }
      out.add(new MoInjector.Outcome(((Number) m.get("id")).longValue(), statuses,
          ((Number) m.get("sent")).longValue(), ((Number) m.get("answered")).longValue()));
    }
    return out;
  }

  /** How many batched MO outcomes the simulator holds now (a run reads from there on). */
  int moResultCount() throws IOException, InterruptedException {
    int n = 0;
    List<MoInjector.Outcome> page;
    while (!(page = moResults(n, 0)).isEmpty()) {
      n += page.size();
    }
    return n;
  }

  /**
   * An accepted submit_sm: its position in the simulator's list, its source and destination
   * (digits) and its decoded text.
   */
  record Submit(int index, String source, String destination, String text) {}

  /**
   * The accepted submits from position {@code from} on (the simulator lists them in arrival
   * order and only appends, and sends only those from {@code ?from=} on), and the size of the
   * whole list.
   */
  record Page(List<Submit> accepted, int size) {}

  Page submits(int from) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/submits?from=" + from))
        .timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body(); JsonParser p = FACTORY.createParser(body)) {
      if (r.statusCode() != 200 || p.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("GET /submits answered " + r.statusCode());
      }
      List<Submit> out = new ArrayList<>();
      int index = from;
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int status = -1;
        String text = null;
        String source = null;
        String destination = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("status")) {
            status = p.getIntValue();
          } else if (field.equals("text") && v == JsonToken.VALUE_STRING) {
            text = p.getText();
          } else if (field.equals("source") && v == JsonToken.VALUE_STRING) {
            source = p.getText();
          } else if (field.equals("destination") && v == JsonToken.VALUE_STRING) {
            destination = p.getText();
          } else {
            p.skipChildren();
          }
        }
        if (status == 0) {
          out.add(new Submit(index, source, destination, text));
        }
        index++;
      }
      return new Page(out, index);
    }
  }

  /**
   * How many submits the simulator has listed so far (its {@code /status}): a run's watch starts
   * there, past what the baselines submitted before it.
   */
  int submitCount() throws IOException, InterruptedException {
    Map<?, ?> status = JSON.readValue(status(), Map.class);
    return ((Number) status.get("submits")).intValue();
  }

  /** The simulator's {@code /status} as JSON text. */
  String status() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
