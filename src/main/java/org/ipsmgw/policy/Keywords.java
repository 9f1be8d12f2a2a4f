package org.ipsmgw.policy;

import java.util.Locale;
import java.util.Map;
import java.util.List;

/**
 * Accept, decline and stop keywords, per language, in the operator's order (the first is the one
 * the texts name). A reply matches when, trimmed and upper-cased,
 * it equals a keyword of any language: SMS users answer in whatever language they like.
 */
public record Keywords(Map<String, List<String>> accept, Map<String, List<String>> decline,
    Map<String, List<String>> stop) {

  public Keywords {
    accept = Map.copyOf(accept);
    decline = Map.copyOf(decline);
    stop = Map.copyOf(stop);
  }

  public ReplyIntent classify(String text) {
    String word = normalise(text);
    if (matches(accept, word)) {
      return ReplyIntent.ACCEPT;
    }
    if (matches(decline, word)) {
      return ReplyIntent.DECLINE;
    }
    if (matches(stop, word)) {
      return ReplyIntent.STOP;
    }
    return ReplyIntent.TEXT;
  }

  /** The first accept keyword of a language, for the {accept} placeholder of operator texts. */
  public String firstAccept(String language) {
    return first(accept, language);
  }

  public String firstDecline(String language) {
    return first(decline, language);
  }

  public String firstStop(String language) {
    return first(stop, language);
  }

  static String normalise(String text) {
    // Trailing punctuation is common on handsets ("Yes!", "ok."): it must not turn a keyword into chat text.
    String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    int end = t.length();
    while (end > 0 && ".!?,;".indexOf(t.charAt(end - 1)) >= 0) {
      end--;
    }
    return t.substring(0, end).strip();
  }

  private static boolean matches(Map<String, List<String>> byLanguage, String word) {
    return byLanguage.values().stream().anyMatch(words -> words.contains(word));
  }

  private static String first(Map<String, List<String>> byLanguage, String language) {
    List<String> words = byLanguage.get(language);
    return words == null || words.isEmpty() ? "" : words.get(0);
  }
}
