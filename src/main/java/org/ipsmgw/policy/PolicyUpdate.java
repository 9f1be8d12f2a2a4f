package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
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
    for (Map.Entry<String, ?> entry : change.entrySet()) {
      String key = entry.getKey();
      if (!base.hasPath(key) && !key.startsWith(OPEN_SECTION)) {
        throw new InvalidPolicy("unknown policy key '" + key + "'");
      }
    }
    Config overlay = change.withFallback(ConfigFactory.parseString(currentOverlay, JSON));
    try {
      PolicyConfig.fromConfig(overlay.withFallback(base).resolve());
    } catch (ConfigException e) {
      throw new InvalidPolicy(clean(e.getMessage()));
    }
    return overlay.root().render(RENDER);
  }

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
