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

  public static void main(String[] args) throws IOException {
    Path index = Path.of(args[0], "index.html");
    if (!Files.isRegularFile(index)) {
      System.out.println("no " + index + ": the run produced no report");
      System.exit(1);
    }
    System.out.println(summary(Files.readString(index, StandardCharsets.UTF_8)));
  }

  /** The summary table of a report's index.html. */
  static String summary(String html) {
    int tableStart = html.indexOf("<tbody><tr id=\"ROOT\"");
    if (tableStart < 0) {
      return "no statistics table in the report";
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
    List<String[]> rows = new ArrayList<>();
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
      rows.add(row);
    }
    // Gatling lists all requests first; the summary shows them last, as a total line.
    if (!rows.isEmpty()) {
      String[] all = rows.remove(0);
      all[0] = "all requests";
      rows.add(all);
    }
    String format = "%-24s %8s %8s %6s %9s %7s %7s %7s %7s%n";
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "request", "count",
        "OK", "KO", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms"));
    for (String[] r : rows) {
      out.append(String.format(Locale.ROOT, format, (Object[]) r));
    }
    return out.toString().stripTrailing();
  }

  private static String unescape(String s) {
    return s.replace("&rarr;", "→").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }
}
