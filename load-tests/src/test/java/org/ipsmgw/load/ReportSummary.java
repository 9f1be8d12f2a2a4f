package org.ipsmgw.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ReportSummary REPORT_DIR}: one screen from a Gatling report's {@code js/stats.json}:
 * per request its count, OK and KO, throughput and the p50/p95/p99 response times (ms; the
 * percentiles as configured in gatling.conf), then the whole run.
 */
public final class ReportSummary {
  private ReportSummary() {}

  record Row(String name, long total, long ok, long ko, double perSecond, long p50, long p95,
      long p99, long max) {}

  public static void main(String[] args) throws IOException {
    File stats = new File(args[0], "js/stats.json");
    if (!stats.isFile()) {
      System.out.println("no " + stats + ": the run produced no report");
      System.exit(1);
    }
    JsonNode root = new ObjectMapper().readTree(stats);
    List<Row> rows = new ArrayList<>();
    collect(root.path("contents"), rows);
    System.out.println(render(rows, row(root.path("stats"), "all requests")));
  }

  private static void collect(JsonNode contents, List<Row> rows) {
    contents.forEach(n -> {
      if (n.path("type").asText().equals("REQUEST")) {
        rows.add(row(n.path("stats"), n.path("name").asText()));
      } else {
        collect(n.path("contents"), rows);
      }
    });
  }

  static Row row(JsonNode s, String name) {
    return new Row(name, s.path("numberOfRequests").path("total").asLong(),
        s.path("numberOfRequests").path("ok").asLong(),
        s.path("numberOfRequests").path("ko").asLong(),
        s.path("meanNumberOfRequestsPerSecond").path("total").asDouble(),
        s.path("percentiles1").path("total").asLong(), s.path("percentiles2").path("total").asLong(),
        s.path("percentiles3").path("total").asLong(),
        s.path("maxResponseTime").path("total").asLong());
  }

  static String render(List<Row> rows, Row all) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-24s %8s %8s %6s %9s %7s %7s %7s %7s%n", "request", "count", "OK", "KO", "per s",
        "p50 ms", "p95 ms", "p99 ms", "max ms"));
    for (Row r : rows) {
      out.append(line(r));
    }
    out.append(line(all));
    return out.toString().stripTrailing();
  }

  private static String line(Row r) {
    return String.format(Locale.ROOT, "%-24s %8d %8d %6d %9.1f %7d %7d %7d %7d%n", r.name,
        r.total, r.ok, r.ko, r.perSecond, r.p50, r.p95, r.p99, r.max);
  }
}
