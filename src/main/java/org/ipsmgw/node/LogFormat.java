package org.ipsmgw.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The console format, {@code ipsmgw.log.format}: {@code plain} (logback.xml) or {@code json}
 * (logback-json.xml). Logback reads its configuration when the first logger is made, which
 * happens while the node's configuration is still loading (classes it validates with have
 * loggers), so the key is read here first, with the configuration's precedence, and only from
 * the places that can hold it: {@code -Dipsmgw.log.format}, {@code IPSMGW_LOG_FORMAT}, the
 * operator's file. {@link NodeConfig} then refuses a value that is neither.
 */
final class LogFormat {
  static final String KEY = "ipsmgw.log.format";
  static final String ENV = "IPSMGW_LOG_FORMAT";
  static final List<String> VALUES = List.of("plain", "json");
  /** Logback's own property: a file or class-path resource it configures itself from. */
  static final String LOGBACK_FILE = "logback.configurationFile";
  static final String JSON_RESOURCE = "logback-json.xml";

  private LogFormat() {}

  /**
   * Points Logback at logback-json.xml when the format is json. Call before any logger exists.
   * An operator's own {@code -Dlogback.configurationFile} wins.
   *
   * @param configFile the operator's file (--config), or null for {@code -Dconfig.file} or none
   */
  static void select(File configFile, Map<String, String> env, Properties props) {
    if (props.getProperty(LOGBACK_FILE) != null) {
      return;
    }
    if ("json".equals(chosen(configFile, env, props))) {
      System.setProperty(LOGBACK_FILE, JSON_RESOURCE);
    }
  }

  /** The format as configured, stripped; null when nothing sets it (plain). */
  static String chosen(File configFile, Map<String, String> env, Properties props) {
    String value = props.getProperty(KEY);
    if (value == null) {
      value = env.get(ENV);
    }
    if (value == null) {
      value = fromFile(configFile != null ? configFile
          : props.getProperty("config.file") == null ? null
          : new File(props.getProperty("config.file")));
    }
    return value == null ? null : value.strip();
  }

  /** NodeConfig's check of the loaded value. */
  static void validate(Config config) {
    String value = config.getString(KEY).strip();
    if (!VALUES.contains(value)) {
      throw new StartupException("configuration error: " + KEY + " = '" + value
          + "' is neither plain nor json");
    }
  }

  /** A file that does not parse is NodeConfig's to report; here it only sets nothing. */
  private static String fromFile(File file) {
    if (file == null || !file.isFile()) {
      return null;
    }
    try {
      Config c = ConfigFactory.parseFile(file);
      return c.hasPath(KEY) ? c.getString(KEY) : null;
    } catch (ConfigException e) {
      return null;
    }
  }
}
