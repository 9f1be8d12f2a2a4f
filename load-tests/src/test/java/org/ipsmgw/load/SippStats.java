package org.ipsmgw.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code SippStats RTT_FILE}: the SIPp baseline from the uac's {@code -trace_rtt} file (one line
 * {@code Date_ms;response_time_ms;rtd_no} per call answered): calls per second from the first
 * call's start to the last answer, and the response time's p50/p99, printed as the
 * {@code sip.*} lines of run.sh's baselines file.
 */
public final class SippStats {
  /** calls answered, over how long (ms), and the response times' percentiles (ms). */
  record Stats(int calls, double spanMs, double p50, double p99) {
    double perSecond() {
      return spanMs <= 0 ? 0 : calls * 1000.0 / spanMs;
    }

    String lines() {
      return String.format(Locale.ROOT, "sip.calls=%d%nsip.calls_per_s=%.0f%nsip.p50_ms=%.0f%n"
          + "sip.p99_ms=%.0f", calls, perSecond(), p50, p99);
    }
  }

  private SippStats() {}

  public static void main(String[] args) throws IOException {
    Stats s = parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
    if (s.calls() == 0) {
      System.out.println("sip.missing=SIPp answered no call");
    } else {
      System.out.println(s.lines());
    }
  }

  /**
   * The calls' times: {@code Date_ms} is when SIPp wrote the line (ms since it started), so the
   * span runs from 0 to the last line plus nothing more.
   */
  static Stats parse(List<String> lines) {
    List<Double> times = new ArrayList<>();
    double last = 0;
    for (String line : lines) {
      String[] f = line.split(";");
      if (f.length < 2) {
        continue;
      }
      try {
        double at = Double.parseDouble(f[0].trim());
        double rt = Double.parseDouble(f[1].trim());
        times.add(rt);
        last = Math.max(last, at);
      } catch (NumberFormatException header) {
        // the column names
      }
    }
    if (times.isEmpty()) {
      return new Stats(0, 0, 0, 0);
    }
    Collections.sort(times);
    return new Stats(times.size(), last, percentile(times, 50), percentile(times, 99));
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
