package org.ipsmgw.sim;

import static org.ipsmgw.sim.OptionValues.value;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code java -jar ipsmgw.jar smsc-sim [--port N] ...}: runs the SMSC simulator until stdin ends
 * with "quit" or the process is stopped. stdin commands: {@code mo <from> <to> <text>},
 * {@code submits}, {@code status}, {@code quit}.
 */
public final class SmscSimulatorMain {
  static final String USAGE = "usage: java -jar ipsmgw.jar smsc-sim [--host 127.0.0.1] "
      + "[--port 2775] [--control-port N] [--receipt-delay-ms 200] [--delivered-ratio 1.0] "
      + "[--throttle N/s] [--hex-ids] [--password P] [--resend-ms N] [--window 10]";

  private SmscSimulatorMain() {}

  /** Returns the process exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    SimulatorOptions o = SimulatorOptions.defaults().withPort(2775);
    String host = o.host();
    String password = "";
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--host" -> host = value(args, ++i);
          case "--port" -> o = o.withPort(OptionValues.port(args[i], value(args, ++i)));
          case "--control-port" -> o = o.withControlPort(
              OptionValues.port(args[i], value(args, ++i)));
          case "--receipt-delay-ms" -> o = o.withReceipts(Duration.ofMillis(
              OptionValues.nonNegative(args[i], value(args, ++i))), o.deliveredRatio());
          case "--delivered-ratio" -> o = o.withReceipts(o.receiptDelay(),
              OptionValues.ratio(args[i], value(args, ++i)));
          case "--throttle" -> o = o.withThrottle(
              OptionValues.nonNegative(args[i], value(args, ++i)));
          case "--hex-ids" -> o = o.withHexIds(true);
          case "--resend-ms" -> o = o.withResend(Duration.ofMillis(
              OptionValues.nonNegative(args[i], value(args, ++i))));
          case "--window" -> o = o.withWindow(OptionValues.positive(args[i], value(args, ++i)));
          case "--password" -> password = value(args, ++i);
          case "--help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (OptionValues.BadValue e) {
      err.println("smsc-sim: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("smsc-sim: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    SimulatorOptions options = new SimulatorOptions(host, o.port(), o.receiptDelay(),
        o.deliveredRatio(), o.throttlePerSecond(), o.hexIds(), password, o.controlPort(),
        o.resendAfter(), o.window());
    SmscSimulator smsc;
    try {
      smsc = SmscSimulator.start(options);
    } catch (IOException | RuntimeException e) {
      err.println("smsc-sim: cannot listen for SMPP on " + host + ":" + o.port() + ": "
          + e.getMessage());
      return 1;
    }
    SmscControl control = null;
    try {
      if (options.controlPort() >= 0) {
        try {
          control = new SmscControl(smsc, host, options.controlPort());
        } catch (IOException | RuntimeException e) {
          err.println("smsc-sim: cannot listen for HTTP control on " + host + ":"
              + options.controlPort() + ": " + e.getMessage());
          return 1;
        }
      }
      out.println("smsc-sim listening on " + host + ":" + smsc.port()
          + (control == null ? "" : ", control http://" + host + ":" + control.port()));
      commands(smsc, in, out);
      return 0;
    } catch (IOException e) {
      err.println("smsc-sim: cannot read stdin: " + e.getMessage());
      return 1;
    } finally {
      if (control != null) {
        control.close();
      }
      smsc.close();
    }
  }

  private static void commands(SmscSimulator smsc, InputStream in, PrintStream out)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      String[] words = line.strip().split(" ", 4);
      switch (words[0]) {
        case "mo" -> {
          if (words.length < 4) {
            out.println("usage: mo <from> <to> <text>");
          } else {
            List<Integer> statuses = smsc.injectMo(words[1], words[2], words[3]);
            out.println("mo sent in " + statuses.size() + " part(s), statuses " + statuses);
          }
        }
        case "submits" -> smsc.submits().forEach(s -> out.println(s.messageId() + " "
            + s.source() + " -> " + s.destination() + " dcs=" + s.dataCoding() + " status="
            + s.status() + " text=" + quoted(s.text())));
        case "status" -> out.println("bound " + smsc.boundSessions() + ", submits "
            + smsc.submits().size() + ", deliver_sm " + smsc.deliveries().size() + ", resends "
            + smsc.resends());
        case "quit" -> {
          return;
        }
        case "" -> { }
        default -> out.println("commands: mo <from> <to> <text> | submits | status | quit");
      }
    }
    // stdin closed (e.g. run in the background): keep serving until the process is stopped.
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String quoted(String text) {
    return text == null ? "(undecodable)" : "\"" + text.replace("\n", "\\n") + "\"";
  }
}
