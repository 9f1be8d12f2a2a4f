package org.ipsmgw.sim;

import static org.ipsmgw.sim.OptionValues.value;

import java.io.PrintStream;

/**
 * {@code java -cp ipsmgw.jar org.ipsmgw.sim.SmppBaselineMain --port N [--host H] [--window 10]
 * [--seconds 3] [--warmup-seconds 1] [--control-port C --mo N]}: the raw SMPP baseline
 * ({@link SmppBaseline}) against a running SMSC, after a warm-up run whose figures are dropped
 * (both JVMs' JIT still compiling would otherwise halve it); prints one
 * {@code smpp-baseline: submits_per_s=…} line. With {@code --control-port C --mo N} it then
 * measures the simulator's MO capacity ({@link SmppBaseline#moCapacity}: N MO through
 * {@code POST /mo/batch} to an ESME that answers at once) and prints
 * {@code smpp-baseline-mo: mo_per_s=…}. Exit 0, 1 when it cannot bind or nothing was accepted,
 * 2 for bad usage.
 */
public final class SmppBaselineMain {
  static final String USAGE = "usage: SmppBaselineMain --port N [--host 127.0.0.1] [--window 10]"
      + " [--seconds 3] [--warmup-seconds 1] [--control-port C --mo N]";

  private SmppBaselineMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The simulator's control API as the capacity run's source of MO. */
  private record ControlApi(String control) implements SmppBaseline.MoSource {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();
    /** One client for the batch and every long poll that follows it. */
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    @Override
    public long inject(java.util.List<MoBatches.Mo> batch) throws Exception {
      com.fasterxml.jackson.databind.JsonNode answer = call(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create(control + "/mo/batch"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch)))
          .build(), "POST /mo/batch");
      return answer.path("first").asLong();
    }

    /** Long-polls {@code GET /mo/results} until every id of the batch has an outcome. */
    @Override
    public void awaitAnswered(long first, int count, long millis) throws Exception {
      long until = System.nanoTime() + millis * 1_000_000;
      int from = 0;
      int answered = 0;
      while (answered < count && System.nanoTime() < until) {
        com.fasterxml.jackson.databind.JsonNode results = call(java.net.http.HttpRequest
            .newBuilder(java.net.URI.create(control + "/mo/results?from=" + from
                + "&wait-ms=1000")).GET().build(), "GET /mo/results");
        for (com.fasterxml.jackson.databind.JsonNode r : results) {
          long id = r.path("id").asLong();
          if (id >= first && id < first + count) {
            answered++;
          }
        }
        from += results.size();
      }
    }

    private static com.fasterxml.jackson.databind.JsonNode call(
        java.net.http.HttpRequest request, String what) throws Exception {
      java.net.http.HttpResponse<String> r = HTTP.send(request,
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(what + " answered " + r.statusCode());
      }
      return JSON.readTree(r.body());
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String host = "127.0.0.1";
    int port = -1;
    int window = 10;
    double seconds = 3;
    int warmup = 1;
    int controlPort = -1;
    int mo = 0;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--host" -> host = value(args, ++i);
          case "--port" -> port = OptionValues.port(args[i], value(args, ++i));
          case "--window" -> window = OptionValues.positive(args[i], value(args, ++i));
          case "--seconds" -> seconds = OptionValues.positive(args[i], value(args, ++i));
          case "--warmup-seconds" -> warmup = OptionValues.nonNegative(args[i], value(args, ++i));
          case "--control-port" -> controlPort = OptionValues.port(args[i], value(args, ++i));
          case "--mo" -> mo = OptionValues.nonNegative(args[i], value(args, ++i));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (mo > 0 && controlPort <= 0 || mo > SmscControl.MAX_BATCH) {
        throw new IllegalArgumentException("--mo needs --control-port, and at most "
            + SmscControl.MAX_BATCH + " MO");
      }
      if (port <= 0 || seconds > 60 || warmup > 60) {
        throw new IllegalArgumentException("--port is required; --seconds and --warmup-seconds"
            + " at most 60");
      }
    } catch (IllegalArgumentException e) {
      err.println("smpp-baseline: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      if (warmup > 0) {
        SmppBaseline.run(host, port, window, warmup);
      }
      SmppBaseline.Result r = SmppBaseline.run(host, port, window, seconds);
      out.println(r.line());
      if (mo > 0) {
        String control = "http://" + host + ":" + controlPort;
        SmppBaseline.MoResult m = SmppBaseline.moCapacity(host, port, mo, 100,
            new ControlApi(control), 30);
        out.println(m.line());
      }
      return r.accepted() > 0 ? 0 : 1;
    } catch (Exception e) {
      err.println("smpp-baseline: cannot bind to " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
  }
}
