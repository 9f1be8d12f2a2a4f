package org.ipsmgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus as promtool sees it: the scrape config and the alert rules are valid, the
 * rules' unit tests (deploy/prometheus/tests) pass, and every alert is tested both firing and
 * not firing, and carries summary, description and a runbook in deploy/README.md.
 */
class PrometheusRulesIT {
  private static final Path TESTS = Path.of("deploy", "prometheus", "tests");

  @BeforeEach
  void needsPromtool() {
    Promtool.assume();
  }

  @Test
  void theScrapeConfigIsValid() throws Exception {
    Promtool.Run run = Promtool.run("check", "config",
        Path.of("deploy", "prometheus", "prometheus.yml").toString());
    assertEquals(0, run.exit(), run.output());
  }

  @Test
  void theRulesAreValid() throws Exception {
    Promtool.Run run = Promtool.run("check", "rules", MetricQueries.RULES.toString());
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains(MetricQueries.alertExpressions().size() + " rules found"),
        run.output());
  }

  @Test
  void theRulesUnitTestsPass() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("test", "rules"));
    args.addAll(testFiles().stream().map(Path::toString).toList());
    Promtool.Run run = Promtool.run(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("SUCCESS"), run.output());
  }

  /**
   * An alert evaluated with {@code exp_alerts: []} is tested not firing; one with a list of
   * expected alerts, firing. promtool fails a test whose expectation is wrong, so this checks
   * that each alert has both.
   */
  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws Exception {
    Set<String> firing = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    Pattern evaluation = Pattern.compile(
        "alertname:\\s*(\\w+)\\s*\\n\\s*exp_alerts:\\s*(\\[\\])?");
    for (Path file : testFiles()) {
      Matcher m = evaluation.matcher(Files.readString(file));
      while (m.find()) {
        (m.group(2) != null ? quiet : firing).add(m.group(1));
      }
    }
    Set<String> alerts = MetricQueries.alertExpressions().keySet();
    assertFalse(alerts.isEmpty());
    for (String alert : alerts) {
      assertTrue(firing.contains(alert), alert + " is never tested firing");
      assertTrue(quiet.contains(alert), alert + " is never tested not firing");
    }
  }

  @Test
  void everyAlertHasASummaryADescriptionAndARunbookInDeployReadme() throws Exception {
    Map<String, Set<String>> annotations = MetricQueries.alertAnnotations();
    String rules = Files.readString(MetricQueries.RULES);
    for (Map.Entry<String, Set<String>> alert : annotations.entrySet()) {
      assertTrue(alert.getValue().containsAll(Set.of("summary", "description", "runbook")),
          alert.getKey() + " has " + alert.getValue());
      assertTrue(rules.contains("runbook: \"deploy/README.md#" + alert.getKey().toLowerCase()
          + "\""), alert.getKey() + "'s runbook is the heading of its name in deploy/README.md");
    }
  }

  private static List<Path> testFiles() throws Exception {
    try (Stream<Path> files = Files.list(TESTS)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
      assertFalse(found.isEmpty(), "no promtool tests in " + TESTS);
      return found;
    }
  }
}
