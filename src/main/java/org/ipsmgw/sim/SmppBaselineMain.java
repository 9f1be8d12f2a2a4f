package org.ipsmgw.sim;

import static org.ipsmgw.sim.OptionValues.value;

import java.io.PrintStream;

/**
 * {@code java -cp ipsmgw.jar org.ipsmgw.sim.SmppBaselineMain --port N [--host H] [--window 10]
 * [--seconds 3] [--warmup-seconds 1]}: the raw SMPP baseline ({@link SmppBaseline}) against a
 * running SMSC, after a warm-up run whose figures are dropped (both JVMs' JIT still compiling
 * would otherwise halve it); prints one {@code smpp-baseline: submits_per_s=…} line. Exit 0, 1 when it cannot bind or nothing was
 * accepted, 2 for bad usage.
 */
public final class SmppBaselineMain {
  static final String USAGE = "usage: SmppBaselineMain --port N [--host 127.0.0.1] [--window 10]"
      + " [--seconds 3] [--warmup-seconds 1]";

  private SmppBaselineMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String host = "127.0.0.1";
    int port = -1;
    int window = 10;
    double seconds = 3;
    int warmup = 1;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--host" -> host = value(args, ++i);
          case "--port" -> port = OptionValues.port(args[i], value(args, ++i));
          case "--window" -> window = OptionValues.positive(args[i], value(args, ++i));
          case "--seconds" -> seconds = OptionValues.positive(args[i], value(args, ++i));
          case "--warmup-seconds" -> warmup = OptionValues.nonNegative(args[i], value(args, ++i));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
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
      return r.accepted() > 0 ? 0 : 1;
    } catch (Exception e) {
      err.println("smpp-baseline: cannot bind to " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
  }
}
