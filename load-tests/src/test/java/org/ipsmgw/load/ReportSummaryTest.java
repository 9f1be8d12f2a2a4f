package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary from the statistics table as Gatling 3.15's index.html writes it (cut down). */
class ReportSummaryTest {
  private static String header(int col, String label) {
    return "<th id=\"col-" + col + "\" class=\"header sortable\"><span>" + label + "</span></th>\n";
  }

  private static String row(String id, String name, String... values) {
    StringBuilder r = new StringBuilder("<tr id=\"" + id + "\" data-parent=\"ROOT\">\n"
        + "<span id=\"stats-table-" + id + "\" class=\"ellipsed-name\">" + name + "</span>\n");
    for (int i = 0; i < values.length; i++) {
      r.append("  <td class=\"value ").append(i == 2 ? "ko" : "total").append(" col-")
          .append(i + 2).append("\">").append(values[i]).append("</td>\n");
    }
    return r.append("</tr>").toString();
  }

  @Test
  void eachRequestThenAllRequestsWithTheColumnsFoundByTheirHeaders() {
    String[] labels = {"Total", "OK", "KO", "% KO",
        "<abbr title=\"Count of events per second\">Cnt/s", "Min", "50th pct", "95th pct",
        "99th pct", "99.9th pct", "Max", "Mean"};
    StringBuilder html = new StringBuilder("<table><thead>");
    for (int i = 0; i < labels.length; i++) {
      html.append(header(i + 2, labels[i]));
    }
    html.append("</thead>\n<tbody>")
        .append(row("ROOT", "All Requests", "30", "29", "1", "3", "10.5", "0", "5", "40", "90",
            "99", "120", "9"))
        .append("</tbody>\n</table><table><tbody>")
        .append(row("req_a", "MSRP SEND&rarr;200", "20", "20", "0", "0", "7.0", "1", "4", "30",
            "60", "61", "62", "5"))
        .append(row("req_b", "BYE&rarr;200", "10", "9", "1", "10", "3.5", "2", "6", "50", "99",
            "99", "120", "12"))
        .append("</tbody></table>");
    List<String> lines = ReportSummary.summary(html.toString()).lines().toList();
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertEquals(List.of("request", "count", "OK", "KO", "per", "s", "p50", "ms", "p95", "ms",
        "p99", "ms", "max", "ms"), List.of(lines.get(0).trim().split("\\s+")));
    assertEquals(List.of("MSRP", "SEND→200", "20", "20", "0", "7.0", "4", "30", "60", "62"),
        List.of(lines.get(1).trim().split("\\s+")));
    assertEquals(List.of("BYE→200", "10", "9", "1", "3.5", "6", "50", "99", "120"),
        List.of(lines.get(2).trim().split("\\s+")));
    assertEquals(List.of("all", "requests", "30", "29", "1", "10.5", "5", "40", "90", "120"),
        List.of(lines.get(3).trim().split("\\s+")));
  }

  @Test
  void aPageWithoutTheTableSaysSo() {
    assertEquals("no statistics table in the report", ReportSummary.summary("<html></html>"));
  }
}
