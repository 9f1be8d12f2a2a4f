package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;

/**
 * Runtime policy changes: the operator sends a JSON object with some of the keys of
 * {@code ipsmgw.policy} (same names as conf/policy.conf); it is merged over the current overlay,
 * and the result over the node's configured policy must validate as a whole before it is stored.
 */
public final class PolicyUpdate {
  /** New languages may be added under keywords; every other key must already exist. */
  private static final String OPEN_SECTION = "keywords.";
  private static final ConfigParseOptions JSON =
      ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription("request body");
  private static final ConfigRenderOptions RENDER =
      ConfigRenderOptions.concise().setJson(true).setFormatted(false);

  /** An empty overlay: the configured policy as is. */
  public static final String NO_OVERLAY = "{}";

  private PolicyUpdate() {}

  /** The policy a node runs: {@code overlay} (JSON) over {@code base} (the ipsmgw.policy block). */
  public static Config effective(Config base, String overlay) {
    return ConfigFactory.parseString(overlay, JSON).withFallback(base).resolve();
  }

  /** The effective policy as JSON, for GET /api/v1/policy. */
  public static String render(Config effective) {
    return effective.root().render(ConfigRenderOptions.concise().setJson(true).setFormatted(true));
  }

  /**
   * Merges {@code body} over {@code currentOverlay} and checks the result.
   *
   * @return the new overlay, as compact JSON
   * @throws InvalidPolicy with a message fit for the operator when the body is not a JSON object,
   *     names a key the policy does not have, or gives a value the policy refuses
   */
  public static String merge(Config base, String currentOverlay, String body) {
    Config change = parse(body);
    checkTypes(base, change.root(), "");
    Config overlay = change.withFallback(ConfigFactory.parseString(currentOverlay, JSON));
    try {
      PolicyConfig.fromConfig(overlay.withFallback(base).resolve());
    } catch (ConfigException e) {
      throw new InvalidPolicy(clean(e.getMessage()));
    }
    return overlay.root().render(RENDER);
  }

  /**
   * Each value must have the JSON type of the key's value in the configured policy, so a value
   * is never read by conversion: "yes" is not a boolean, "120" not a number, 120 not a duration.
   */
  private static void checkTypes(Config base, ConfigObject change, String prefix) {
    for (Map.Entry<String, ConfigValue> entry : change.entrySet()) {
      String key = prefix + ConfigUtil.joinPath(entry.getKey());
      ConfigValue value = entry.getValue();
      ConfigValue like = model(base, key);
      if (like == null) {
        throw new InvalidPolicy("unknown policy key '" + key + "'");
      }
      ConfigValueType want = like.valueType();
      if (value.valueType() == ConfigValueType.NULL) {
        throw invalid(key, "must not be null");
      }
      if (StrictDuration.isDuration(base, key) && !StrictDuration.hasUnit(value)) {
        throw invalid(key, "must be a duration with its unit as a JSON string, e.g. \"120s\"");
      }
      if (value.valueType() != want) {
        throw invalid(key, "must be a JSON " + NAMES.get(want) + ", not a JSON "
            + NAMES.get(value.valueType()));
      }
      switch (want) {
        case OBJECT -> checkTypes(base, (ConfigObject) value, key + ".");
        case NUMBER -> {
          Number n = (Number) value.unwrapped();
          boolean whole = !(like.unwrapped() instanceof Double);
          if (whole && (n instanceof Double d) && d != Math.rint(d)) {
            throw invalid(key, "must be a whole number");
          }
        }
        case LIST -> {
          List<? extends ConfigValue> model = (ConfigList) like;
          for (ConfigValue element : (ConfigList) value) {
            if (!model.isEmpty() && element.valueType() != model.get(0).valueType()) {
              throw invalid(key, "must be a JSON array of " + NAMES.get(model.get(0).valueType())
                  + "s");
            }
          }
        }
        default -> { }
      }
    }
  }

  /**
   * The configured value a key of the update is checked against; for a new keyword language,
   * the same key of a configured language. Null when the policy has no such key.
   */
  private static ConfigValue model(Config base, String key) {
    if (base.hasPathOrNull(key)) {
      return base.getValue(key);
    }
    List<String> path = ConfigUtil.splitPath(key);
    if (path.size() >= 2 && (path.get(0) + ".").equals(OPEN_SECTION)
        && base.hasPath("keywords")) {
      for (String language : base.getObject("keywords").keySet()) {
        List<String> like = new java.util.ArrayList<>(path);
        like.set(1, language);
        String likeKey = ConfigUtil.joinPath(like);
        if (base.hasPath(likeKey)) {
          return base.getValue(likeKey);
        }
      }
    }
    return null;
  }

  private static InvalidPolicy invalid(String key, String why) {
    return new InvalidPolicy("Invalid value at 'ipsmgw.policy." + key + "': " + why);
  }

  private static final Map<ConfigValueType, String> NAMES = Map.of(
      ConfigValueType.OBJECT, "object", ConfigValueType.LIST, "array",
      ConfigValueType.NUMBER, "number", ConfigValueType.BOOLEAN, "boolean",
      ConfigValueType.NULL, "null", ConfigValueType.STRING, "string");

  private static Config parse(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidPolicy("the body must be a JSON object of policy keys");
    }
    try {
      return ConfigFactory.parseString(body, JSON);
    } catch (ConfigException e) {
      throw new InvalidPolicy("the body is not a JSON object: " + clean(e.getMessage()));
    }
  }

  /** A stored overlay or a refusal as a log line shows it: bounded, whatever the operator sent. */
  public static String forLog(String text) {
    int max = 500;
    return text.length() <= max ? text
        : text.substring(0, max) + "… (" + text.length() + " characters)";
  }

  /** Drops the origin Typesafe Config puts before its messages ("request body: 1: "). */
  private static String clean(String message) {
    return message.replaceFirst("^(?:[^:]*request body[^:]*: )?\\d+: ", "");
  }

  /** A policy update the gateway refuses; the message says why. */
  public static final class InvalidPolicy extends RuntimeException {
    public InvalidPolicy(String message) {
      super(message);
    }
  }
}
