package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A duration in the configuration or the admin API must say its unit ("120s", "30m"): Typesafe
 * Config reads a bare number as milliseconds, so {@code reply-window = 120} would be 0.12 s.
 */
public final class StrictDuration {
  private static final Pattern WITH_UNIT =
      Pattern.compile("\\s*[+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?\\s*[a-zA-Z]+\\s*");

  private StrictDuration() {}

  /** True for a string value of a number followed by a unit. */
  public static boolean hasUnit(ConfigValue value) {
    return value.valueType() == ConfigValueType.STRING
        && WITH_UNIT.matcher((String) value.unwrapped()).matches();
  }

  /**
   * True when {@code key} of {@code c} holds a duration with its unit ("120s"), not a size such as
   * "16k" or a word such as "UTC": the keys whose values must keep saying their unit.
   */
  public static boolean isDuration(Config c, String key) {
    try {
      return hasUnit(c.getValue(key)) && c.getDuration(key) != null;
    } catch (RuntimeException notADuration) {
      return false;
    }
  }

  /**
   * @param fullKey the key as the operator writes it, for the message
   * @throws ConfigException.BadValue when the value has no unit or is not a duration
   */
  public static Duration read(Config c, String key, String fullKey) {
    ConfigValue value = c.getValue(key);
    if (value.valueType() == ConfigValueType.NUMBER
        || (value.valueType() == ConfigValueType.STRING && !hasUnit(value)
            && ((String) value.unwrapped()).strip().matches("[+-]?[0-9.eE+-]+"))) {
      String shown = String.valueOf(value.unwrapped()).strip();
      shown = shown.length() > 20 ? "120" : shown;
      throw new ConfigException.BadValue(value.origin(), fullKey, "a bare number needs a unit,"
          + " e.g. \"" + shown + "s\" (without one it would be read as milliseconds)");
    }
    try {
      return c.getDuration(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new ConfigException.BadValue(value.origin(), fullKey,
          "is not a duration with a unit such as 120s, 5m or 2h", e);
    }
  }
}
