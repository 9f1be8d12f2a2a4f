package org.ipsmgw.deploy;

import static org.ipsmgw.deploy.DeployFiles.list;
import static org.ipsmgw.deploy.DeployFiles.map;
import static org.ipsmgw.deploy.DeployFiles.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/compose/compose.yaml against the node's real configuration: each node's environment and
 * overlay are loaded by the node's own loader (unknown keys and variables fail it), and its
 * mapped ports, seed nodes, journal, SMSC and the Kamailio dispatcher list are compared with what
 * that configuration says.
 */
class ComposeManifestTest {
  private static final Path COMPOSE = DeployFiles.ROOT.resolve("deploy/compose");
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");
  private static final List<String> NODE_HOSTS = List.of("IPSMGW_SIP_HOST", "IPSMGW_MSRP_HOST",
      "IPSMGW_ADMIN_HOST", "IPSMGW_CLUSTER_HOST");

  @TempDir
  Path dir;

  private Map<String, Object> services;
  /** Node service name → its configuration as the node would load it. */
  private final Map<String, Config> nodes = new TreeMap<>();

  /** compose's ${NAME:-default}: what it is with nothing set in the shell or .env. */
  private static String interpolated(String value) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> environment(Object service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = ((Map<?, ?>) service).get("environment");
    if (raw != null) {
      map(service, "environment").forEach((k, v) -> env.put(k, interpolated(String.valueOf(v))));
    }
    return env;
  }

  private static String address(Object service) {
    return string(map(map(service, "networks"), "ipsmgw"), "ipv4_address");
  }

  /** host path of the bind mount whose container path is {@code target}. */
  private static Path mounted(Object service, String target) {
    for (Object v : list(service, "volumes")) {
      String[] parts = String.valueOf(v).split(":");
      if (parts.length >= 2 && parts[1].equals(target)) {
        return COMPOSE.resolve(parts[0]).normalize();
      }
    }
    throw new AssertionError("nothing mounted at " + target + " in " + service);
  }

  /** Container ports a service maps, as "port/proto", and the host address each is bound to. */
  private static Map<String, String> mappedPorts(Object service) {
    Map<String, String> out = new TreeMap<>();
    for (Object v : list(service, "ports")) {
      String spec = String.valueOf(v);
      String proto = "tcp";
      int slash = spec.indexOf('/');
      if (slash >= 0) {
        proto = spec.substring(slash + 1);
        spec = spec.substring(0, slash);
      }
      String[] parts = spec.split(":");
      String bind = parts.length == 3 ? parts[0] : "0.0.0.0";
      out.put(parts[parts.length - 1] + "/" + proto, bind);
    }
    return out;
  }

  @BeforeEach
  void loadNodes() throws IOException {
    services = map(DeployFiles.yamlDocuments(COMPOSE.resolve("compose.yaml")).get(0), "services");
    String dockerfile = DeployFiles.read(DeployFiles.DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("COPY conf/ /opt/ipsmgw/conf/"), "the image holds conf/");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Object service = e.getValue();
      if (!string(service, "image").startsWith("ipsmgw:") || service instanceof Map<?, ?> m
          && m.containsKey("command")) {
        continue;
      }
      Map<String, String> env = environment(service);
      DeployFiles.assertReadVariables("compose service " + e.getKey(), env.keySet(),
          DeployFiles.entrypointVariables());
      // What the entrypoint adds: the container's address (hostname -i) for unset hosts.
      for (String host : NODE_HOSTS) {
        env.putIfAbsent(host, address(service));
      }
      Path overlay = null;
      if (env.containsKey("NODE_CONFIG")) {
        Path source = mounted(service, env.get("NODE_CONFIG"));
        assertTrue(Files.isRegularFile(source), "NODE_CONFIG of " + e.getKey() + ": " + source);
        // The image's /opt/ipsmgw/conf/ is the repository's conf/.
        overlay = dir.resolve(e.getKey() + ".conf");
        Files.writeString(overlay, DeployFiles.read(source)
            .replace("/opt/ipsmgw/conf/", DeployFiles.ROOT.resolve("conf") + "/"));
      }
      nodes.put(e.getKey(), DeployFiles.nodeConfig(overlay, env));
    }
  }

  @Test
  void threeNodesThatRunTheLocalConfsPorts() {
    assertEquals(Set.of("ipsmgw1", "ipsmgw2", "ipsmgw3"), nodes.keySet());
    int n = 1;
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      Config local = DeployFiles.nodeConfig(DeployFiles.ROOT.resolve("conf/local" + n++ + ".conf"),
          Map.of());
      for (String key : List.of("ipsmgw.sip.port", "ipsmgw.msrp.port", "ipsmgw.admin.port",
          "ipsmgw.cluster.port")) {
        assertEquals(local.getInt(key), e.getValue().getInt(key), e.getKey() + " " + key);
      }
      // The image's healthcheck asks IPSMGW_ADMIN_PORT (8558 when unset) for /alive.
      String healthPort = environment(services.get(e.getKey())).getOrDefault("IPSMGW_ADMIN_PORT",
          "8558");
      assertEquals(e.getValue().getInt("ipsmgw.admin.port"), Integer.parseInt(healthPort),
          e.getKey() + ": the port the healthcheck asks");
    }
  }

  @Test
  void mappedPortsAreTheNodesOwn() {
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      Config c = e.getValue();
      Map<String, String> mapped = mappedPorts(services.get(e.getKey()));
      String msrp = c.getInt("ipsmgw.msrp.port") + "/tcp";
      String admin = c.getInt("ipsmgw.admin.port") + "/tcp";
      assertTrue(mapped.containsKey(msrp), e.getKey() + " maps MSRP " + msrp + ": " + mapped);
      assertEquals("127.0.0.1", mapped.get(admin), e.getKey() + " maps admin " + admin
          + " on the host's loopback only: " + mapped);
      Set<String> own = Set.of(c.getInt("ipsmgw.sip.port") + "/udp",
          c.getInt("ipsmgw.sip.port") + "/tcp", msrp, admin, c.getInt("ipsmgw.cluster.port") + "/tcp");
      assertTrue(own.containsAll(mapped.keySet()), e.getKey() + " maps only its ports " + own
          + ": " + mapped);
    }
  }

  @Test
  void theNodesFormOneClusterOnThePostgresJournal() {
    List<String> seeds = new ArrayList<>();
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      seeds.add(address(services.get(e.getKey())) + ":" + e.getValue().getInt("ipsmgw.cluster.port"));
    }
    Map<String, String> pg = environment(services.get("postgres"));
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      Config c = e.getValue();
      Object service = services.get(e.getKey());
      assertEquals(address(service), c.getString("pekko.remote.artery.canonical.hostname"));
      assertEquals(seeds, c.getStringList("ipsmgw.cluster.seed-nodes"), e.getKey()
          + ": every node's address and cluster port");
      assertEquals("seed-nodes", c.getString("ipsmgw.cluster.bootstrap"));
      assertEquals("jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB"),
          c.getString("ipsmgw.db.url"), e.getKey() + ": the compose PostgreSQL");
      assertEquals(pg.get("POSTGRES_USER"), c.getString("ipsmgw.db.user"));
      assertEquals(pg.get("POSTGRES_PASSWORD"), c.getString("ipsmgw.db.password"));
      assertEquals(string(map(services.get("postgres"), "environment"), "POSTGRES_PASSWORD"),
          string(map(service, "environment"), "IPSMGW_DB_PASSWORD"), "one variable sets both");
      Map<String, Object> dependsOn = map(service, "depends_on");
      assertTrue(dependsOn.containsKey("postgres"), e.getKey() + " waits for the database");
      assertEquals("on-failure", string(service, "restart"), "a downed node exits 1: restarted");
      Duration grace = Duration.parse("PT" + string(service, "stop_grace_period").toUpperCase());
      assertTrue(grace.compareTo(DeployFiles.longestLeave(c)) > 0, e.getKey()
          + " stop_grace_period " + grace + " must exceed the longest graceful leave "
          + DeployFiles.longestLeave(c));
    }
  }

  @Test
  void theNodesBindTheSmscSimulator() {
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      Config c = e.getValue();
      Object smsc = services.get(c.getString("ipsmgw.smsc.host"));
      assertNotNull(smsc, e.getKey() + "'s IPSMGW_SMSC_HOST is a compose service");
      List<String> command = list(smsc, "command").stream().map(String::valueOf).toList();
      assertEquals("smsc-sim", command.get(0), command.toString());
      int port = command.indexOf("--port");
      assertTrue(port > 0, "the simulator's SMPP port is given: " + command);
      assertEquals(c.getInt("ipsmgw.smsc.port"), Integer.parseInt(command.get(port + 1)),
          "the port the nodes bind to");
      assertTrue(map(services.get(e.getKey()), "depends_on").containsKey(
          c.getString("ipsmgw.smsc.host")), e.getKey() + " waits for the SMSC");
    }
  }

  @Test
  void kamailioDispatchesToEachNodesSipPortAndTheNodesTrustIt() {
    Object kamailio = services.get("kamailio");
    assertNotNull(kamailio, "a kamailio service");
    String front = address(kamailio);
    List<String> command = list(kamailio, "command").stream().map(String::valueOf).toList();
    assertTrue(command.contains("LISTEN_IP=" + front), "it listens on its address: " + command);
    Path list = mounted(kamailio, "/etc/kamailio/dispatcher.list");
    Set<String> targets = new TreeSet<>();
    for (Dispatcher.Target t : Dispatcher.targets(DeployFiles.read(list))) {
      assertEquals(1, t.set(), "DS_SET 1 of kamailio.cfg");
      assertEquals(";transport=tcp", t.params(), "the front talks TCP to the nodes");
      targets.add(t.hostPort());
    }
    Set<String> expected = new TreeSet<>();
    for (Map.Entry<String, Config> e : nodes.entrySet()) {
      Config c = e.getValue();
      expected.add(c.getString("ipsmgw.sip.host") + ":" + c.getInt("ipsmgw.sip.port"));
      assertTrue(c.getStringList("ipsmgw.sip.trusted-peers").contains(front), e.getKey()
          + " trusts the front " + front + ": " + c.getStringList("ipsmgw.sip.trusted-peers"));
    }
    assertEquals(expected, targets, "dispatcher.list = every node's SIP address and port");
    int sipPort = Integer.parseInt(command.stream().filter(a -> a.startsWith("SIP_PORT="))
        .findFirst().orElse("SIP_PORT=5060").substring("SIP_PORT=".length()));
    assertEquals(Set.of(sipPort + "/udp", sipPort + "/tcp"), mappedPorts(kamailio).keySet(),
        "the front's SIP port, UDP and TCP, is what the S-CSCF reaches");
  }

  @Test
  void kamailioAcceptsTheFrontsCommand() throws Exception {
    List<String> command = list(services.get("kamailio"), "command").stream()
        .map(String::valueOf).toList();
    DeployFiles.assertKamailioAccepts(command, dir);
  }
}
