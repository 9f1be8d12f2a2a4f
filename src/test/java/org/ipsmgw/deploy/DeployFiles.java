package org.ipsmgw.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.node.NodeConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the deploy/ tests compare the manifests with: the node's configuration as the node itself
 * builds it ({@link NodeConfig#load}: packaged defaults, an overlay, the environment, with the
 * node's checks of unknown keys and variables), and the variables the image's entrypoint reads.
 */
final class DeployFiles {
  /** Maven runs the tests in the project directory. */
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path DOCKER = ROOT.resolve("deploy/docker");
  private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

  private DeployFiles() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file (Kubernetes files hold several), as maps. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(Path file) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  /** The node's configuration with this overlay (null: none) and environment. */
  static Config nodeConfig(Path overlay, Map<String, String> env) {
    File file = overlay == null ? null : overlay.toFile();
    return NodeConfig.load(file, env, new Properties());
  }

  static Config defaults() {
    return nodeConfig(null, Map.of());
  }

  /** GET path of the admin HTTP's liveness (readiness) check: /alive (/ready). */
  static String livenessPath(Config c) {
    return adminPath(c, "pekko.management.health-checks.liveness-path");
  }

  static String readinessPath(Config c) {
    return adminPath(c, "pekko.management.health-checks.readiness-path");
  }

  private static String adminPath(Config c, String key) {
    String base = c.getString("pekko.management.http.base-path");
    return (base.isEmpty() ? "" : "/" + base) + "/" + c.getString(key);
  }

  /**
   * The longest a graceful leave can take: the sum of the coordinated-shutdown phases' timeouts
   * (each its own or the default), so a supervisor's stop timeout above it never cuts a leave.
   */
  static Duration longestLeave(Config c) {
    Config phases = c.getConfig("pekko.coordinated-shutdown.phases");
    Duration fallback = c.getDuration("pekko.coordinated-shutdown.default-phase-timeout");
    Duration sum = Duration.ZERO;
    for (String name : phases.root().keySet()) {
      Config phase = phases.getConfig("\"" + name + "\"");
      if (phase.hasPath("enabled") && !phase.getBoolean("enabled")) {
        continue;
      }
      sum = sum.plus(phase.hasPath("timeout") ? phase.getDuration("timeout") : fallback);
    }
    return sum;
  }

  /** The variables deploy/docker/entrypoint.sh and node-env.sh read (${NAME…}). */
  static Set<String> entrypointVariables() {
    Set<String> names = new TreeSet<>();
    for (String script : List.of("entrypoint.sh", "node-env.sh")) {
      Matcher m = SHELL_VARIABLE.matcher(read(DOCKER.resolve(script)));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Each name is one the node reads ({@link NodeConfig#ENVIRONMENT}; it refuses other IPSMGW_*
   * names) or, not IPSMGW_*, one of {@code others} (what the entrypoint or unit reads).
   */
  static void assertReadVariables(String where, Collection<String> names, Set<String> others) {
    for (String name : names) {
      if (name.startsWith("IPSMGW_")) {
        assertTrue(NodeConfig.ENVIRONMENT.containsKey(name), where + " sets " + name
            + ", which the node does not read (and refuses at start); it reads "
            + new TreeSet<>(NodeConfig.ENVIRONMENT.keySet()));
      } else {
        assertTrue(others.contains(name), where + " sets " + name + ", which nothing reads; read: "
            + others);
      }
    }
  }

  /** Skips without the tool (naming its Debian package); under CI=true fails instead. */
  static Path tool(String name, String debianPackage) {
    Path found = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        found = p;
        break;
      }
    }
    String missing = "needs " + name + " (package " + debianPackage + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI")) && found == null) {
      fail(missing + " (CI=true: the check must run; .ci/run installs it when it runs as root)");
    }
    assumeTrue(found != null, missing);
    return found;
  }

  /**
   * {@code kamailio -c} (parse and check, nothing bound) of deploy/kamailio/kamailio.cfg, the
   * file the front's image holds, with the arguments a manifest gives it: a define that does not
   * exist in it or has a bad value fails. Skipped without Kamailio (fails under CI=true).
   */
  static void assertKamailioAccepts(List<String> args, Path work) throws Exception {
    // kamailio takes any -A NAME; only those kamailio.cfg defines change anything.
    String cfg = read(ROOT.resolve("deploy/kamailio/kamailio.cfg"));
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("-A")) {
        String name = args.get(i + 1).split("=", 2)[0];
        assertTrue(cfg.contains("#!trydef " + name + " "), "-A " + args.get(i + 1)
            + ": kamailio.cfg has no define " + name);
      }
    }
    Path kamailio = tool("kamailio", "kamailio");
    List<String> command = new ArrayList<>(List.of(kamailio.toString(), "-c", "-f",
        ROOT.resolve("deploy/kamailio/kamailio.cfg").toString()));
    command.addAll(args);
    Path out = work.resolve("kamailio-check.out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "kamailio -c ended");
    assertTrue(p.exitValue() == 0, "kamailio -c " + args + " fails:\n" + read(out));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object parent, String key) {
    Object v = ((Map<String, Object>) parent).get(key);
    if (!(v instanceof Map)) {
      throw new AssertionError("no mapping '" + key + "' in " + parent);
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object parent, String key) {
    Object v = ((Map<String, Object>) parent).get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new AssertionError("'" + key + "' is no list in " + parent);
    }
    return (List<Object>) v;
  }

  static String string(Object parent, String key) {
    Object v = ((Map<?, ?>) parent).get(key);
    return v == null ? null : String.valueOf(v);
  }
}
