package org.ipsmgw.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every alert links to a section of the runbook (deploy/README.md) that exists, named after the
 * alert, and every link inside the runbook lands on one of its headings.
 */
class RunbookTest {
  private static final Path RUNBOOK = DeployFiles.ROOT.resolve("deploy/README.md");
  private static final Path RULES =
      DeployFiles.ROOT.resolve("deploy/prometheus/rules/ipsmgw.rules.yml");

  /** GitHub's anchor of a heading: lower case, spaces to dashes, punctuation dropped. */
  static String anchor(String heading) {
    return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  private static Set<String> anchors() throws Exception {
    return Files.readAllLines(RUNBOOK).stream().filter(l -> l.startsWith("#"))
        .map(l -> anchor(l.replaceFirst("^#+", ""))).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alerts() throws Exception {
    Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(RULES));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (rule.containsKey("alert")) {
          out.add(rule);
        }
      }
    }
    return out;
  }

  @Test
  void theAnchorOfAHeadingIsGithubs() {
    assertEquals("ipsmgwsmppnobindup", anchor("IpsmgwSmppNoBindUp"));
    assertEquals("database-outage", anchor(" Database outage"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertsRunbookIsASectionOfTheRunbookNamedAfterIt() throws Exception {
    Set<String> anchors = anchors();
    List<Map<String, Object>> alerts = alerts();
    assertFalse(alerts.isEmpty());
    for (Map<String, Object> alert : alerts) {
      String name = (String) alert.get("alert");
      String runbook = (String) ((Map<String, Object>) alert.get("annotations")).get("runbook");
      assertEquals("deploy/README.md#" + anchor(name), runbook, name);
      assertTrue(anchors.contains(anchor(name)), "no heading '" + name + "' in " + RUNBOOK);
    }
  }

  @Test
  void everyLinkInsideTheRunbookLandsOnAHeading() throws Exception {
    Set<String> anchors = anchors();
    Matcher m = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(Files.readString(RUNBOOK));
    int links = 0;
    while (m.find()) {
      links++;
      assertTrue(anchors.contains(m.group(1)), "link #" + m.group(1) + " lands on no heading");
    }
    assertTrue(links > 0);
  }
}
