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

  private static void postBatch(String control, java.util.List<MoBatches.Mo> batch) {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(control + "/mo/batch"))
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                  new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(batch)))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("POST /mo/batch answered " + r.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("POST /mo/batch failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
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
            batch -> postBatch(control, batch), 30);
        out.println(m.line());
      }
      return r.accepted() > 0 ? 0 : 1;
    } catch (Exception e) {
      err.println("smpp-baseline: cannot bind to " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
  }
}
