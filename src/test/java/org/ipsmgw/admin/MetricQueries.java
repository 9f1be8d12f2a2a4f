package org.ipsmgw.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of deploy/: each alert's {@code expr} in deploy/prometheus/rules, each panel query
 * of deploy/grafana, and the metric names a query reads, found coarsely: what is left of the
 * query once strings, label matchers, ranges, grouping clauses, functions, keywords and numbers
 * are taken out.
 */
final class MetricQueries {
  static final Path RULES = Path.of("deploy", "prometheus", "rules", "ipsmgw.rules.yml");
  static final Path DASHBOARD = Path.of("deploy", "grafana", "ipsmgw-dashboard.json");

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring",
      "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

  private MetricQueries() {}

  /** The metric names {@code promql} reads. */
  static Set<String> names(String promql) {
    String q = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ");
    q = GROUPING.matcher(q).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(q);
    while (m.find()) {
      String token = m.group();
      String after = q.substring(m.end()).stripLeading();
      boolean function = after.startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(q.charAt(m.start() - 1));
      if (!function && !number && !KEYWORDS.contains(token.toLowerCase())) {
        names.add(token);
      }
    }
    return names;
  }

  /** Each alert's name and expression, in the file's order. */
  static Map<String, String> alertExpressions() throws IOException {
    Map<String, String> alerts = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(RULES);
    String alert = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.strip();
      if (trimmed.startsWith("- alert:")) {
        alert = trimmed.substring("- alert:".length()).strip();
      } else if (trimmed.startsWith("expr:") && alert != null) {
        String value = trimmed.substring("expr:".length()).strip();
        if (value.startsWith(">") || value.startsWith("|")) {
          int indent = line.indexOf("expr:");
          StringBuilder block = new StringBuilder();
          while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
              || indentOf(lines.get(i + 1)) > indent)) {
            block.append(lines.get(++i).strip()).append(' ');
          }
          value = block.toString().strip();
        }
        alerts.put(alert, value);
      }
    }
    return alerts;
  }

  /** Each alert's annotation keys (summary, description, runbook …). */
  static Map<String, Set<String>> alertAnnotations() throws IOException {
    Map<String, Set<String>> annotations = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(RULES);
    String alert = null;
    int indent = -1;
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("- alert:")) {
        alert = trimmed.substring("- alert:".length()).strip();
        annotations.put(alert, new TreeSet<>());
        indent = -1;
      } else if (trimmed.equals("annotations:") && alert != null) {
        indent = indentOf(line);
      } else if (indent >= 0 && !line.isBlank()) {
        if (indentOf(line) <= indent) {
          indent = -1;
        } else if (indentOf(line) == indent + 2 && trimmed.contains(":")) {
          annotations.get(alert).add(trimmed.substring(0, trimmed.indexOf(':')));
        }
      }
    }
    return annotations;
  }

  /** Each panel's title and the expressions of its queries. */
  static Map<String, List<String>> panelQueries() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Map<String, List<String>> panels = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      List<String> exprs = new ArrayList<>();
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
      panels.put(panel.path("title").asText(), exprs);
    }
    return panels;
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
