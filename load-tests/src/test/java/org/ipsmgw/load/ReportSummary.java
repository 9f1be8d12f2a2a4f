package org.ipsmgw.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ReportSummary REPORT_DIR}: one screen from a Gatling report: per request its count, OK
 * and KO, throughput and the p50/p95/p99 and max response times (ms), then all requests. Gatling
 * 3.15 writes no {@code js/stats.json} any more and its simulation.log is binary, so this reads
 * the statistics table of {@code index.html}, finding each column by its header.
 */
public final class ReportSummary {
  private static final Pattern HEADER = Pattern.compile(
      "<th id=\"col-(\\d+)\"[^>]*>(?:<span[^>]*>)?(?:<abbr[^>]*>)?([^<]+)<");
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)</span>");
  private static final Pattern CELL = Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">"
      + "([^<]*)</td>");
  private static final List<String> SHOWN = List.of("Total", "OK", "KO", "Cnt/s", "50th pct",
      "95th pct", "99th pct", "Max");

  private ReportSummary() {}

  /**
   * {@code ReportSummary REPORT_DIR [BASELINES_FILE]}: the table, then (with a baselines file
   * that run.sh wrote) each scenario figure as a ratio to its baseline.
   */
  public static void main(String[] args) throws IOException {
    Path index = Path.of(args[0], "index.html");
    if (!Files.isRegularFile(index)) {
      System.out.println("no " + index + ": the run produced no report");
      System.exit(1);
    }
    String html = Files.readString(index, StandardCharsets.UTF_8);
    System.out.println(summary(html));
    if (args.length > 1) {
      Baselines b = Baselines.read(Path.of(args[1]));
      System.out.println();
      System.out.println(Baselines.ratios(rows(html), b));
    }
  }

  /** One request's row: its name and the shown columns, as the report prints them. */
  record Row(String name, String count, String ok, String ko, String perSecond, String p50,
      String p95, String p99, String max) {}

  /** The summary table of a report's index.html. */
  static String summary(String html) {
    List<Row> rows = rows(html);
    if (rows == null) {
      return "no statistics table in the report";
    }
    String format = "%-24s %8s %8s %6s %9s %7s %7s %7s %7s%n";
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "request", "count",
        "OK", "KO", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"));
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, format, r.name(), r.count(), r.ok(), r.ko(),
          r.perSecond(), r.p50(), r.p95(), r.p99(), r.max()));
    }
    return out.toString().stripTrailing();
  }

  /** Each request's row, then "all requests"; null when the page has no statistics table. */
  static List<Row> rows(String html) {
    int tableStart = html.indexOf("<tbody><tr id=\"ROOT\"");
    if (tableStart < 0) {
      return null;
    }
    Map<String, Integer> column = new HashMap<>();
    Matcher h = HEADER.matcher(html);
    while (h.find()) {
      column.put(h.group(2).trim(), Integer.parseInt(h.group(1)));
    }
    // The total row has a tbody of its own, the requests the next one.
    int afterTotal = html.indexOf("</tbody>", tableStart);
    int requestsEnd = html.indexOf("</tbody>", afterTotal + 1);
    String table = html.substring(tableStart, requestsEnd < 0 ? afterTotal : requestsEnd);
    List<Row> rows = new ArrayList<>();
    for (String tr : table.split("<tr id=")) {
      Matcher n = NAME.matcher(tr);
      if (!n.find()) {
        continue;
      }
      Map<Integer, String> cells = new HashMap<>();
      Matcher c = CELL.matcher(tr);
      while (c.find()) {
        cells.put(Integer.parseInt(c.group(1)), c.group(2).trim());
      }
      String[] row = new String[SHOWN.size() + 1];
      row[0] = unescape(n.group(1));
      for (int i = 0; i < SHOWN.size(); i++) {
        Integer col = column.get(SHOWN.get(i));
        row[i + 1] = col == null ? "?" : cells.getOrDefault(col, "-");
      }
      rows.add(new Row(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
          row[8]));
    }
    // Gatling lists all requests first; the summary shows them last, as a total line.
    if (!rows.isEmpty()) {
      Row all = rows.remove(0);
      rows.add(new Row("all requests", all.count(), all.ok(), all.ko(), all.perSecond(),
          all.p50(), all.p95(), all.p99(), all.max()));
    }
    return rows;
  }

  private static String unescape(String s) {
    return s.replace("&rarr;", "→").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }
}
