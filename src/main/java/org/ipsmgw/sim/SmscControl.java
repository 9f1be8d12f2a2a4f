package org.ipsmgw.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's HTTP control endpoint, for the demo and the load tests:
 * {@code POST /mo?from=+44..&to=+44..} with the text as body injects an MO (answer: the
 * deliver_sm_resp status of each part); {@code GET /submits} lists what was submitted, in
 * arrival order ({@code ?from=N}: from the N-th on, so a poller fetches only what is new);
 * {@code GET /status} shows the binds. Requests are served in parallel: an MO injection waits
 * for its deliver_sm_resp without holding up the others. For load, {@code POST /mo/batch} takes
 * a JSON array of {@code {"from","to","text"}} and answers at once with the first one's id
 * ({@code {"first":N,"count":n}}, the others numbered on); they are sent in the background
 * ({@link MoBatches}) and {@code GET /mo/results?from=K[&wait-ms=W]} lists their outcomes in
 * completion order from the K-th on ({@code id}, {@code statuses}, {@code sent} and
 * {@code answered} in epoch ms), waiting up to W ms (at most 5,000) for one when none is new.
 */
final class SmscControl implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requests served at once (each MO injection holds one until its deliver_sm_resp). */
  private static final int HANDLERS = 16;
  private final HttpServer server;
  private final SmscSimulator smsc;
  private final java.util.concurrent.ExecutorService handlers =
      java.util.concurrent.Executors.newFixedThreadPool(HANDLERS, r -> {
        Thread t = new Thread(r, "smsc-sim-control");
        t.setDaemon(true);
        return t;
      });

  SmscControl(SmscSimulator smsc, String host, int port) throws IOException {
    this.smsc = smsc;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/mo", this::mo);
    server.createContext("/mo/batch", this::moBatch);
    server.createContext("/mo/results", this::moResults);
    server.createContext("/submits", this::submits);
    server.createContext("/status", this::status);
    server.setExecutor(handlers);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void mo(HttpExchange x) throws IOException {
    if (!x.getRequestMethod().equals("POST")) {
      send(x, 405, Map.of("error", "use POST /mo?from=...&to=... with the text as body"));
      return;
    }
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    if (!q.containsKey("from") || !q.containsKey("to")) {
      send(x, 400, Map.of("error", "from and to are required query parameters"));
      return;
    }
    String text = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    List<Integer> statuses = smsc.injectMo(q.get("from"), q.get("to"), text);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("parts", statuses.size());
    answer.put("statuses", statuses);
    send(x, 200, answer);
  }

  /** Most MO one batch may hold: a bound on what one request makes the simulator keep. */
  static final int MAX_BATCH = 10_000;

  private void moBatch(HttpExchange x) throws IOException {
    if (!x.getRequestMethod().equals("POST")) {
      send(x, 405, Map.of("error", "use POST /mo/batch with a JSON array of "
          + "{\"from\",\"to\",\"text\"}"));
      return;
    }
    List<MoBatches.Mo> batch;
    try {
      batch = List.of(JSON.readValue(x.getRequestBody(), MoBatches.Mo[].class));
    } catch (IOException | RuntimeException e) {
      send(x, 400, Map.of("error", "the body must be a JSON array of {\"from\",\"to\",\"text\"}"));
      return;
    }
    if (batch.size() > MAX_BATCH) {
      send(x, 400, Map.of("error", "at most " + MAX_BATCH + " MO per batch, got "
          + batch.size()));
      return;
    }
    if (batch.stream().anyMatch(m -> m == null || m.from() == null || m.to() == null
        || m.text() == null)) {
      send(x, 400, Map.of("error", "every MO needs from, to and text"));
      return;
    }
    long first = smsc.injectMoBatch(batch);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("first", first);
    answer.put("count", batch.size());
    send(x, 200, answer);
  }

  private void moResults(HttpExchange x) throws IOException {
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    int first = wholeNumber(q.getOrDefault("from", "0"));
    int waitMs = wholeNumber(q.getOrDefault("wait-ms", "0"));
    if (first < 0 || waitMs < 0 || waitMs > 5_000) {
      send(x, 400, Map.of("error", "from must be a whole number >= 0 and wait-ms 0..5000"));
      return;
    }
    List<MoBatches.Result> results;
    try {
      results = smsc.moResultsFrom(first, waitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(x, 503, Map.of("error", "stopping"));
      return;
    }
    List<Map<String, Object>> out = results.stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("statuses", r.statuses());
      m.put("sent", r.sentMillis());
      m.put("answered", r.answeredMillis());
      return m;
    }).toList();
    send(x, 200, out);
  }

  private static int wholeNumber(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void submits(HttpExchange x) throws IOException {
    String from = query(x.getRequestURI().getRawQuery()).getOrDefault("from", "0");
    int first;
    try {
      first = Integer.parseInt(from.strip());
    } catch (NumberFormatException e) {
      first = -1;
    }
    if (first < 0) {
      String shown = from.length() > 20 ? from.substring(0, 20) + "…" : from;
      send(x, 400, Map.of("error", "from must be a whole number >= 0, got '" + shown + "'"));
      return;
    }
    List<Map<String, Object>> out = smsc.submitsFrom(first).stream().map(s -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", s.source());
      m.put("destination", s.destination());
      m.put("dataCoding", s.dataCoding());
      m.put("esmClass", s.esmClass());
      m.put("registeredDelivery", s.registeredDelivery());
      m.put("messageId", s.messageId());
      m.put("status", s.status());
      m.put("octets", s.shortMessage().length);
      m.put("text", s.text());
      return m;
    }).toList();
    send(x, 200, out);
  }

  /**
   * The binds, the submits, and the deliver_sm sent: how often one was sent again, and how many
   * ended accepted, refused for good, or are still being resent ({@code pending}).
   */
  private void status(HttpExchange x) throws IOException {
    List<SmscDelivery> all = smsc.deliveries();
    Map<String, Object> deliveries = new LinkedHashMap<>();
    deliveries.put("total", all.size());
    deliveries.put("accepted", all.stream().filter(SmscDelivery::accepted).count());
    deliveries.put("refused", all.stream()
        .filter(d -> d.finalStatus() != null && !d.accepted()).count());
    deliveries.put("pending", all.stream().filter(d -> d.finalStatus() == null).count());
    deliveries.put("resends", smsc.resends());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("bound", smsc.boundSessions());
    answer.put("submits", smsc.submits().size());
    answer.put("deliveries", deliveries);
    send(x, 200, answer);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static void send(HttpExchange x, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
