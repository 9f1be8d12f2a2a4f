package org.ipsmgw.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.policy.StrictDuration;

/**
 * Builds the node's configuration. Precedence, highest first: system properties, environment
 * variables, the operator's file ({@code --config FILE} or {@code -Dconfig.file}, an overlay on the
 * defaults), the packaged defaults (conf/application.conf), Pekko's reference.conf.
 */
public final class NodeConfig {

  /** Environment variables and the keys they set. */
  public static final Map<String, String> ENVIRONMENT = envKeys();

  private static final List<String> PORT_KEYS = List.of("ipsmgw.sip.port", "ipsmgw.msrp.port",
      "ipsmgw.smsc.port", "ipsmgw.admin.port", "ipsmgw.cluster.port");

  /** The packaged defaults, conf/application.conf and the files it includes. */
  private static final String PACKAGED = "ipsmgw/application.conf";
  /** Keys the node derives from others (see {@link #withDatabaseDriver}). */
  private static final List<String> DERIVED_KEYS = List.of("ipsmgw.db.slick-profile",
      "ipsmgw.db.driver");

  static final String BOOTSTRAP_ROUTE = "pekko.management.http.routes.cluster-bootstrap";

  private NodeConfig() {}

  /**
   * An IPSMGW_* variable that is none of {@link #ENVIRONMENT} is a typo that would be ignored in
   * silence. Kubernetes' service links ({@code <SERVICE>_SERVICE_HOST}, {@code <SERVICE>_PORT…}
   * for a service named ipsmgw…) are not the operator's and are left alone.
   */
  private static void refuseUnknownVariables(Map<String, String> env) {
    List<String> services = env.keySet().stream().filter(k -> k.endsWith("_SERVICE_HOST"))
        .map(k -> k.substring(0, k.length() - "_SERVICE_HOST".length())).toList();
    for (String name : new java.util.TreeSet<>(env.keySet())) {
      if (!name.startsWith("IPSMGW_") || ENVIRONMENT.containsKey(name)) {
        continue;
      }
      boolean serviceLink = services.stream().anyMatch(s -> name.startsWith(s + "_SERVICE_")
          || name.equals(s + "_PORT") || name.startsWith(s + "_PORT_"));
      if (!serviceLink) {
        throw new StartupException("configuration error: unknown environment variable " + name
            + " (did you mean " + KnownKeys.nearest(name, ENVIRONMENT.keySet()) + "?)");
      }
    }
  }

  private static Map<String, String> envKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("IPSMGW_SIP_HOST", "ipsmgw.sip.host");
    m.put("IPSMGW_SIP_PORT", "ipsmgw.sip.port");
    m.put("IPSMGW_MSRP_HOST", "ipsmgw.msrp.host");
    m.put("IPSMGW_MSRP_PORT", "ipsmgw.msrp.port");
    m.put("IPSMGW_SMSC_HOST", "ipsmgw.smsc.host");
    m.put("IPSMGW_SMSC_PORT", "ipsmgw.smsc.port");
    m.put("IPSMGW_SMSC_SYSTEM_ID", "ipsmgw.smsc.system-id");
    m.put("IPSMGW_SMSC_PASSWORD", "ipsmgw.smsc.password");
    m.put("IPSMGW_ADMIN_HOST", "ipsmgw.admin.host");
    m.put("IPSMGW_ADMIN_PORT", "ipsmgw.admin.port");
    m.put("IPSMGW_ADMIN_TOKEN", "ipsmgw.admin.token");
    m.put("IPSMGW_SIP_OUTBOUND_PROXY", "ipsmgw.sip.outbound-proxy");
    m.put(LogFormat.ENV, LogFormat.KEY);
    m.put("IPSMGW_DB_URL", "ipsmgw.db.url");
    m.put("IPSMGW_DB_USER", "ipsmgw.db.user");
    m.put("IPSMGW_DB_PASSWORD", "ipsmgw.db.password");
    m.put("IPSMGW_CLUSTER_HOST", "ipsmgw.cluster.host");
    m.put("IPSMGW_CLUSTER_PORT", "ipsmgw.cluster.port");
    m.put("IPSMGW_SEED_NODES", "ipsmgw.cluster.seed-nodes");
    m.put("IPSMGW_CLUSTER_BOOTSTRAP", "ipsmgw.cluster.bootstrap");
    m.put("IPSMGW_K8S_SERVICE_NAME", "ipsmgw.cluster.kubernetes.service-name");
    m.put("IPSMGW_K8S_POD_LABEL_SELECTOR", "ipsmgw.cluster.kubernetes.pod-label-selector");
    m.put("IPSMGW_K8S_PORT_NAME", "ipsmgw.cluster.kubernetes.port-name");
    m.put("IPSMGW_K8S_REQUIRED_CONTACT_POINTS", "ipsmgw.cluster.kubernetes.required-contact-points");
    return Map.copyOf(m);
  }

  /**
   * @param file the operator's file, or null for {@code -Dconfig.file} or none
   * @throws StartupException with a one-line reason for any problem
   */
  public static Config load(File file, Map<String, String> env, Properties systemProperties) {
    try {
      String fromProperty = systemProperties.getProperty("config.file");
      File overlayFile = file != null ? file : fromProperty == null ? null : new File(fromProperty);
      Config overlay = ConfigFactory.empty();
      if (overlayFile != null) {
        if (!overlayFile.isFile()) {
          throw new StartupException("configuration file not found: " + overlayFile);
        }
        overlay = ConfigFactory.parseFile(overlayFile, ConfigParseOptions.defaults().setAllowMissing(false));
      }
      refuseUnknownVariables(env);
      Config properties = ConfigFactory.parseProperties(withoutConfigFile(systemProperties));
      Config environment = fromEnvironment(env);
      Config packaged = ConfigFactory.parseResources(PACKAGED);
      KnownKeys known = new KnownKeys(packaged, DERIVED_KEYS);
      known.check(overlay);
      known.check(properties);
      Config layered = properties
          .withFallback(environment)
          .withFallback(overlay)
          .withFallback(packaged)
          .withFallback(ConfigFactory.defaultReference());
      Config config = withDatabaseDriver(layered).resolve();
      validate(config, packaged);
      return withBootstrapRoute(config);
    } catch (ConfigException e) {
      throw new StartupException("configuration error: " + e.getMessage(), e);
    }
  }

  private static Properties withoutConfigFile(Properties props) {
    Properties copy = new Properties();
    props.forEach((k, v) -> {
      if (!"config.file".equals(k)) {
        copy.put(k, v);
      }
    });
    return copy;
  }

  private static Config fromEnvironment(Map<String, String> env) {
    Config c = ConfigFactory.empty();
    for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
      String value = env.get(e.getKey());
      if (value == null) {
        continue;
      }
      Object typed = e.getKey().equals("IPSMGW_SEED_NODES")
          ? Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
          : value;
      c = c.withValue(e.getValue(), ConfigValueFactory.fromAnyRef(typed, "env " + e.getKey()));
    }
    return c;
  }

  /**
   * The bootstrap library adds its /bootstrap routes to the admin HTTP; only pods bootstrapping
   * through the Kubernetes API probe them, so a fixed cluster does not serve them.
   */
  private static Config withBootstrapRoute(Config config) {
    if (ClusterBootstrapMode.of(config) == ClusterBootstrapMode.KUBERNETES_API) {
      return config;
    }
    return config.withValue(BOOTSTRAP_ROUTE, ConfigValueFactory.fromAnyRef("",
        "ipsmgw.cluster.bootstrap = seed-nodes"));
  }

  /**
   * Slick profile and JDBC driver follow from the URL, so operators set only the URL; an H2 URL
   * gets the write delay that makes each commit durable ({@link H2Durability}) and keeps an
   * event in its row ({@link H2InlineLobs}).
   */
  private static Config withDatabaseDriver(Config layered) {
    Config partial = layered.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    String url = partial.getString("ipsmgw.db.url");
    Map<String, Object> derived = new HashMap<>();
    if (url.startsWith("jdbc:h2:")) {
      derived.put("ipsmgw.db.url", H2InlineLobs.url(H2Durability.url(url)));
      derived.put("jdbc-journal.parallelism", H2Durability.JOURNAL_WRITES_AT_ONCE);
      derived.put("ipsmgw.db.slick-profile", "slick.jdbc.H2Profile$");
      derived.put("ipsmgw.db.driver", "org.h2.Driver");
    } else if (url.startsWith("jdbc:postgresql:")) {
      derived.put("ipsmgw.db.slick-profile", "slick.jdbc.PostgresProfile$");
      derived.put("ipsmgw.db.driver", "org.postgresql.Driver");
    } else {
      throw new StartupException("configuration error: ipsmgw.db.url '" + Database.redact(url)
          + "' is neither jdbc:h2: nor jdbc:postgresql:");
    }
    return ConfigFactory.parseMap(derived, "derived from ipsmgw.db.url").withFallback(layered);
  }

  private static void validate(Config config, Config packaged) {
    // Pekko's dump of the whole configuration would print the passwords and the admin token.
    if (config.getBoolean("pekko.log-config-on-start")) {
      throw new StartupException("configuration error: pekko.log-config-on-start = on would print"
          + " the passwords and the admin token; it must stay off");
    }
    Config packagedResolved = packaged.resolve(ConfigResolveOptions.defaults()
        .setAllowUnresolved(true));
    for (String key : KnownKeys.durationKeys(packagedResolved)) {
      if (config.hasPath(key)) {
        StrictDuration.read(config, key, key);
      }
    }
    for (String key : PORT_KEYS) {
      String raw = config.getValue(key).unwrapped().toString();
      int port;
      try {
        port = Integer.parseInt(raw.strip());
      } catch (NumberFormatException e) {
        throw new StartupException("configuration error: " + key + " = '" + raw + "' is not a port number");
      }
      if (port < 1 || port > 65535) {
        throw new StartupException("configuration error: " + key + " = " + port + " is not a port (1-65535)");
      }
    }
    for (String seed : config.getStringList("ipsmgw.cluster.seed-nodes")) {
      if (!seed.matches("[^:\\s]+:\\d{1,5}")) {
        throw new StartupException("configuration error: ipsmgw.cluster.seed-nodes entry '" + seed
            + "' is not host:port");
      }
    }
    LogFormat.validate(config);
    GracefulLeave.validate(config);
    ClusterBootstrapMode mode = ClusterBootstrapMode.of(config);
    if (mode == ClusterBootstrapMode.KUBERNETES_API) {
      if (!config.getStringList("ipsmgw.cluster.seed-nodes").isEmpty()) {
        throw new StartupException("configuration error: ipsmgw.cluster.seed-nodes must be empty"
            + " with ipsmgw.cluster.bootstrap = kubernetes-api (the Kubernetes API finds the nodes)");
      }
      String required = config.getValue("ipsmgw.cluster.kubernetes.required-contact-points")
          .unwrapped().toString().strip();
      if (!required.matches("[1-9]\\d{0,2}")) {
        throw new StartupException("configuration error: ipsmgw.cluster.kubernetes."
            + "required-contact-points = '" + required + "' is not a number of pods (1-999)");
      }
    }
    Entities.validate(config);
  }
}
