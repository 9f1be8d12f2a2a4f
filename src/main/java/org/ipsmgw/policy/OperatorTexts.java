package org.ipsmgw.policy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator-provided SMS texts (23.204 §6.15.1 step 5, §6.16.1). Placeholders: {name} the CPM
 * sender's display name (or number when it has none), {number} the CPM sender's number (or the
 * correlation number when the sender is anonymous), {accept}, {decline}, {stop} the keywords.
 */
public record OperatorTexts(String invitation, String askAgain, String teardown, String idleNotice,
    String withdrawn, String notDelivered) {

  public static final java.util.Set<String> PLACEHOLDERS =
      java.util.Set.of("name", "number", "accept", "decline", "stop");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

  /** Fills a template; every placeholder must be one of {@link #PLACEHOLDERS} (checked at load). */
  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The first placeholder in a template that is not known, or null. */
  public static String unknownPlaceholder(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        return m.group(1);
      }
    }
    return null;
  }
}
