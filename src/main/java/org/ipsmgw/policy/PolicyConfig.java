package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipsmgw.subscriber.Msisdn;

/**
 * Reads {@code ipsmgw.policy} (see conf/policy.conf) into an {@link OperatorPolicy}. Every problem
 * is a {@link ConfigException.BadValue} naming the key, so a wrong policy stops the node with one
 * clear line instead of misbehaving on the first invitation.
 */
public final class PolicyConfig {
  private static final Duration MAX_PROVISIONAL_REFRESH = Duration.ofSeconds(60);

  private PolicyConfig() {}

  /** @param policy the {@code ipsmgw.policy} section */
  public static OperatorPolicy fromConfig(Config policy) {
    try {
      return read(policy);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      if (e.getMessage().contains("ipsmgw.policy.")) {
        throw e;
      }
      // Typesafe names the key relative to the section; the operator edits the full key.
      String detail = e.getMessage().replaceFirst("^.*?: (\\d+: )?", "")
          .replaceFirst("^Invalid value at '([^']*)':", "$1:");
      throw new ConfigException.BadValue(e.origin(), "ipsmgw.policy", "ipsmgw.policy." + detail,
          e);
    }
  }

  private static OperatorPolicy read(Config policy) {
    Keywords keywords = keywords(policy);
    String language = policy.getString("language");
    if (!keywords.accept().containsKey(language)) {
      throw bad(policy, "language", "no keywords are configured for language '" + language + "'");
    }
    OperatorTexts texts = texts(policy);
    int maxSmsParts = maxSmsParts(policy);
    TextBudget.check(policy, texts, keywords, language, maxSmsParts);
    return new OperatorPolicy(
        enumValue(policy, "default-invitation", InvitationAction.class),
        policy.getBoolean("user-preference-wins"),
        finalStatus(policy, "reject-status"),
        finalStatus(policy, "expiry-status"),
        positive(policy, "reply-window"),
        provisionalRefresh(policy),
        positive(policy, "idle-timeout"),
        enumValue(policy, "other-reply", OtherReplyHandling.class),
        policy.getBoolean("anonymity-allowed"),
        policy.getBoolean("teardown-sms"),
        policy.getBoolean("idle-notice-sms"),
        policy.getBoolean("withdrawn-sms"),
        policy.getBoolean("not-delivered-sms"),
        correlation(policy),
        language,
        keywords,
        texts,
        maxSmsParts,
        enumValue(policy, "sms-originated", SmsOriginatedHandling.class));
  }

  private static <E extends Enum<E>> E enumValue(Config c, String key, Class<E> type) {
    String value = c.getString(key);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(value)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name());
    }
    throw bad(c, key, "'" + shown(value) + "' is not one of " + allowed);
  }

  private static int finalStatus(Config c, String key) {
    int status = c.getInt(key);
    // 401/407 would make the CPM client retry with credentials the gateway never asked for.
    if (status < 400 || status > 699 || status == 401 || status == 407) {
      throw bad(c, key, status + " is not a usable SIP final error (400-699, not 401/407)");
    }
    return status;
  }

  private static int maxSmsParts(Config c) {
    int parts = c.getInt("max-sms-parts");
    // 255 is the most a concatenation header can number (23.040 §9.2.3.24.1).
    if (parts < 1 || parts > 255) {
      throw bad(c, "max-sms-parts", parts + " is outside 1-255");
    }
    return parts;
  }

  private static Duration positive(Config c, String key) {
    Duration d = StrictDuration.read(c, key, "ipsmgw.policy." + key);
    if (d.isNegative() || d.isZero()) {
      throw bad(c, key, "must be longer than zero");
    }
    return d;
  }

  private static Duration provisionalRefresh(Config c) {
    Duration d = positive(c, "provisional-refresh");
    if (d.compareTo(MAX_PROVISIONAL_REFRESH) > 0) {
      throw bad(c, "provisional-refresh",
          d.toMillis() + "ms is longer than 60000ms: RFC 3261 13.3.1.1 wants a provisional "
              + "response every minute");
    }
    return d;
  }

  private static CorrelationPlan correlation(Config c) {
    CorrelationMode mode = enumValue(c, "correlation.mode", CorrelationMode.class);
    Set<String> pool = new LinkedHashSet<>();
    for (String n : c.getStringList("correlation.pool")) {
      String canonical = Msisdn.normalise(n).orElseThrow(
          () -> bad(c, "correlation.pool", "'" + shown(n) + "' is not an E.164 number"));
      if (!pool.add(canonical)) {
        throw bad(c, "correlation.pool", canonical + " is listed twice");
      }
    }
    if (mode == CorrelationMode.POOL && pool.isEmpty()) {
      throw bad(c, "correlation.pool", "mode POOL needs at least one number");
    }
    if (pool.isEmpty()) {
      // Without one, every anonymous sender and every second chat of an SMS user would get 503.
      throw bad(c, "correlation.pool", "needs at least one number: an anonymous sender and a"
          + " second chat with the same SMS user are given one");
    }
    return new CorrelationPlan(mode, List.copyOf(pool));
  }

  private static Keywords keywords(Config c) {
    Config k = c.getConfig("keywords");
    Map<String, List<String>> accept = new HashMap<>();
    Map<String, List<String>> decline = new HashMap<>();
    Map<String, List<String>> stop = new HashMap<>();
    Map<String, String> owner = new HashMap<>();
    for (String language : k.root().keySet()) {
      Config lang = k.getConfig(language);
      accept.put(language, words(c, language, "accept", lang, owner));
      decline.put(language, words(c, language, "decline", lang, owner));
      stop.put(language, words(c, language, "stop", lang, owner));
    }
    if (accept.isEmpty()) {
      throw bad(c, "keywords", "at least one language with accept, decline and stop keywords is needed");
    }
    return new Keywords(accept, decline, stop);
  }

  private static List<String> words(Config policy, String language, String kind, Config lang,
      Map<String, String> owner) {
    String key = "keywords." + language + "." + kind;
    if (!lang.hasPath(kind) || lang.getStringList(kind).isEmpty()) {
      throw bad(policy, key, "needs at least one keyword");
    }
    Set<String> words = new LinkedHashSet<>();
    for (String w : lang.getStringList(kind)) {
      String word = Keywords.normalise(w);
      if (word.isEmpty()) {
        throw bad(policy, key, "contains an empty keyword");
      }
      String previous = owner.putIfAbsent(word, kind);
      // A word that both accepts and declines would make the user's reply ambiguous.
      if (previous != null && !previous.equals(kind)) {
        throw bad(policy, key, "'" + word + "' is also a " + previous + " keyword");
      }
      words.add(word);
    }
    return List.copyOf(words);
  }

  private static OperatorTexts texts(Config c) {
    return new OperatorTexts(text(c, "invitation"), text(c, "ask-again"), text(c, "teardown"),
        text(c, "idle-notice"), text(c, "withdrawn"), text(c, "not-delivered"));
  }

  private static String text(Config c, String name) {
    String key = "texts." + name;
    String template = c.getString(key);
    if (template.isBlank()) {
      throw bad(c, key, "must not be empty");
    }
    String unknown = OperatorTexts.unknownPlaceholder(template);
    if (unknown != null) {
      throw bad(c, key, "unknown placeholder {" + unknown + "}; known: " + OperatorTexts.PLACEHOLDERS);
    }
    return template;
  }

  /** A value as an error message quotes it: cut short, so no input reaches a log unbounded. */
  static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }

  static ConfigException.BadValue bad(Config c, String key, String message) {
    return new ConfigException.BadValue(c.hasPath(key) ? c.getValue(key).origin() : c.origin(),
        "ipsmgw.policy." + key, message);
  }
}
