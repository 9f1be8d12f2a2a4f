package org.ipsmgw.deploy;

import static org.ipsmgw.deploy.DeployFiles.list;
import static org.ipsmgw.deploy.DeployFiles.map;
import static org.ipsmgw.deploy.DeployFiles.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ipsmgw.node.NodeConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s/*.yaml against the node's real configuration: the StatefulSet's environment and the
 * ConfigMap's overlay are loaded by the node's own loader (an unknown key or variable fails it,
 * as it would stop the pod), and ports, probes, the bootstrap's label selector and port name,
 * RBAC, Services, the PodDisruptionBudget and the Kamailio front are compared with it.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestTest {
  private static final Path K8S = DeployFiles.ROOT.resolve("deploy/k8s");
  /** What the node gets for a fieldRef (status.podIP). */
  private static final String POD_IP = "10.244.1.17";

  @TempDir
  Path dir;

  private final List<Map<String, Object>> objects = new ArrayList<>();
  private Map<String, Object> statefulSet;
  private Map<String, Object> podSpec;
  private Map<String, Object> container;
  private Map<String, String> env;
  private Config config;

  private Map<String, Object> object(String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))
        && name.equals(string(map(o, "metadata"), "name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
  }

  private List<Map<String, Object>> all(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(map(map(workload, "spec"), "template"), "spec");
  }

  private static Map<String, String> podLabels(Map<String, Object> workload) {
    Map<String, String> labels = new LinkedHashMap<>();
    map(map(map(map(workload, "spec"), "template"), "metadata"), "labels")
        .forEach((k, v) -> labels.put(k, String.valueOf(v)));
    return labels;
  }

  private static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
    return selector.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(e.getKey())));
  }

  /** The container port a Service or probe names (by name or number), as "port/PROTO". */
  private static String containerPort(Map<String, Object> container, Object port,
      String protocol) {
    for (Object p : list(container, "ports")) {
      String proto = string(p, "protocol") == null ? "TCP" : string(p, "protocol");
      boolean named = String.valueOf(port).equals(string(p, "name"));
      boolean numbered = String.valueOf(port).equals(string(p, "containerPort"));
      if ((named || numbered) && proto.equals(protocol)) {
        return string(p, "containerPort") + "/" + proto;
      }
    }
    throw new AssertionError("no container port " + port + "/" + protocol + " in "
        + list(container, "ports"));
  }

  @BeforeEach
  void load() throws IOException {
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        objects.addAll(DeployFiles.yamlDocuments(f));
      }
    }
    statefulSet = object("StatefulSet", "ipsmgw");
    podSpec = podSpec(statefulSet);
    container = (Map<String, Object>) list(podSpec, "containers").get(0);
    env = new LinkedHashMap<>();
    for (Object e : list(container, "env")) {
      String name = string(e, "name");
      Object valueFrom = ((Map<?, ?>) e).get("valueFrom");
      if (valueFrom == null) {
        env.put(name, string(e, "value"));
      } else if (((Map<?, ?>) valueFrom).containsKey("fieldRef")) {
        assertEquals("status.podIP", string(map(valueFrom, "fieldRef"), "fieldPath"), name);
        env.put(name, POD_IP);
      } else {
        Map<String, Object> ref = map(valueFrom, "secretKeyRef");
        Map<String, Object> secret = object("Secret", string(ref, "name"));
        Map<String, Object> data = map(secret, "stringData");
        assertTrue(data.containsKey(string(ref, "key")), name + ": secret "
            + string(ref, "name") + " has key " + string(ref, "key"));
        env.put(name, string(data, string(ref, "key")));
      }
    }
    // The overlay file NODE_CONFIG names, from the ConfigMap mounted there.
    Path overlay = null;
    String nodeConfig = env.get("NODE_CONFIG");
    if (nodeConfig != null) {
      overlay = dir.resolve("node.conf");
      Files.writeString(overlay, mountedConfigFile(nodeConfig));
    }
    Map<String, String> nodeEnv = new LinkedHashMap<>(env);
    config = DeployFiles.nodeConfig(overlay, nodeEnv);
  }

  private String mountedConfigFile(String path) {
    for (Object m : list(container, "volumeMounts")) {
      String mountPath = string(m, "mountPath");
      if (path.startsWith(mountPath + "/")) {
        String key = path.substring(mountPath.length() + 1);
        for (Object v : list(podSpec, "volumes")) {
          if (string(v, "name").equals(string(m, "name"))) {
            Map<String, Object> cm = object("ConfigMap", string(map(v, "configMap"), "name"));
            String text = string(map(cm, "data"), key);
            assertNotNull(text, "ConfigMap " + string(map(cm, "metadata"), "name") + " has " + key);
            return text;
          }
        }
      }
    }
    throw new AssertionError("NODE_CONFIG " + path + " is not on a mounted ConfigMap");
  }

  @Test
  void everyVariableIsOneTheNodeOrTheEntrypointReads() {
    DeployFiles.assertReadVariables("StatefulSet ipsmgw", env.keySet(),
        DeployFiles.entrypointVariables());
    for (Map<String, Object> d : all("Deployment")) {
      Map<String, Object> c = (Map<String, Object>) list(podSpec(d), "containers").get(0);
      for (Object e : list(c, "env")) {
        assertFalse(string(e, "name").startsWith("IPSMGW_"), "the front sets no node variable");
      }
    }
  }

  @Test
  void theNodesBootstrapThroughTheKubernetesApiOnTheirOwnAddresses() {
    assertEquals("kubernetes-api", config.getString("ipsmgw.cluster.bootstrap"));
    assertTrue(config.getStringList("ipsmgw.cluster.seed-nodes").isEmpty());
    for (String key : List.of("ipsmgw.sip.host", "ipsmgw.msrp.host", "ipsmgw.admin.host",
        "ipsmgw.cluster.host")) {
      assertEquals(POD_IP, config.getString(key), key + " is the pod's address");
    }
    Map<String, String> labels = podLabels(statefulSet);
    String selector = config.getString("ipsmgw.cluster.kubernetes.pod-label-selector")
        .replace("%s", config.getString("ipsmgw.cluster.kubernetes.service-name"));
    Map<String, Object> wanted = new LinkedHashMap<>();
    for (String pair : selector.split(",")) {
      String[] kv = pair.split("=", 2);
      wanted.put(kv[0].strip(), kv[1].strip());
    }
    assertTrue(selects(wanted, labels), "the bootstrap's selector " + selector
        + " finds the pods " + labels);
    for (Map<String, Object> d : all("Deployment")) {
      assertFalse(selects(wanted, podLabels(d)), "the bootstrap must not find "
          + string(map(d, "metadata"), "name") + "'s pods");
    }
    String portName = config.getString("ipsmgw.cluster.kubernetes.port-name");
    assertEquals(config.getInt("ipsmgw.admin.port") + "/TCP",
        containerPort(container, portName, "TCP"), "the bootstrap probes the port named "
        + portName + ": the admin HTTP");
    int replicas = ((Number) map(statefulSet, "spec").get("replicas")).intValue();
    int required = config.getInt("ipsmgw.cluster.kubernetes.required-contact-points");
    assertTrue(required > replicas / 2 && required <= replicas, "required-contact-points "
        + required + ": a majority of " + replicas + " (fewer could form two clusters)");
  }

  @Test
  void theServiceAccountMayReadPodsAndNothingElse() {
    String account = string(podSpec, "serviceAccountName");
    object("ServiceAccount", account);
    Map<String, Object> binding = all("RoleBinding").stream().filter(b -> list(b, "subjects")
        .stream().anyMatch(s -> account.equals(string(s, "name"))
            && "ServiceAccount".equals(string(s, "kind")))).findFirst()
        .orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
    Map<String, Object> role = object(string(map(binding, "roleRef"), "kind"),
        string(map(binding, "roleRef"), "name"));
    List<Object> rules = list(role, "rules");
    assertEquals(1, rules.size(), rules.toString());
    assertEquals(List.of("pods"), list(rules.get(0), "resources"));
    assertEquals(List.of(""), list(rules.get(0), "apiGroups"));
    assertEquals(Set.of("get", "watch", "list"), new TreeSet<>(list(rules.get(0), "verbs")
        .stream().map(String::valueOf).toList()));
  }

  @Test
  void containerPortsAreTheConfiguredPorts() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("sip-udp", config.getInt("ipsmgw.sip.port") + "/UDP");
    expected.put("sip-tcp", config.getInt("ipsmgw.sip.port") + "/TCP");
    expected.put("msrp", config.getInt("ipsmgw.msrp.port") + "/TCP");
    expected.put("management", config.getInt("ipsmgw.admin.port") + "/TCP");
    expected.put("remoting", config.getInt("ipsmgw.cluster.port") + "/TCP");
    Map<String, String> actual = new LinkedHashMap<>();
    for (Object p : list(container, "ports")) {
      actual.put(string(p, "name"), string(p, "containerPort") + "/"
          + (string(p, "protocol") == null ? "TCP" : string(p, "protocol")));
    }
    assertEquals(expected, actual);
  }

  @Test
  void probesAreTheAdminHealthRoutes() {
    String admin = config.getInt("ipsmgw.admin.port") + "/TCP";
    Map<String, String> paths = Map.of("readinessProbe", DeployFiles.readinessPath(config),
        "livenessProbe", DeployFiles.livenessPath(config),
        "startupProbe", DeployFiles.livenessPath(config));
    for (Map.Entry<String, String> p : paths.entrySet()) {
      Map<String, Object> get = map(map(container, p.getKey()), "httpGet");
      assertEquals(p.getValue(), string(get, "path"), p.getKey());
      assertEquals(admin, containerPort(container, get.get("port"), "TCP"), p.getKey()
          + " asks the admin HTTP");
    }
  }

  @Test
  void servicesReachThePodsPortsAndNoServiceLinkShadowsANodeVariable() {
    Map<String, String> labels = podLabels(statefulSet);
    Set<String> sipProtocols = new TreeSet<>();
    for (Map<String, Object> svc : all("Service")) {
      Map<String, Object> spec = map(svc, "spec");
      if (!selects(map(spec, "selector"), labels)) {
        continue;
      }
      String name = string(map(svc, "metadata"), "name");
      for (Object port : list(spec, "ports")) {
        String proto = string(port, "protocol") == null ? "TCP" : string(port, "protocol");
        Object target = ((Map<?, ?>) port).get("targetPort");
        String reached = containerPort(container, target == null ? port : target, proto);
        assertEquals(string(port, "port") + "/" + proto, reached, name + " port "
            + string(port, "name") + " keeps the pod's port number");
        if (reached.equals(config.getInt("ipsmgw.sip.port") + "/" + proto)) {
          sipProtocols.add(proto);
        }
      }
      // A Service named ipsmgw-sip would give the pods IPSMGW_SIP_PORT=tcp://…
      String prefix = name.toUpperCase(Locale.ROOT).replace('-', '_');
      boolean shadows = NodeConfig.ENVIRONMENT.keySet().stream()
          .anyMatch(v -> v.equals(prefix + "_PORT") || v.startsWith(prefix + "_SERVICE_"));
      if (shadows) {
        assertEquals(Boolean.FALSE, podSpec.get("enableServiceLinks"), "Service " + name
            + "'s links would set a node variable: enableServiceLinks must be false");
      }
    }
    assertEquals(Set.of("TCP", "UDP"), sipProtocols, "SIP over UDP and TCP");
    Map<String, Object> headless = object("Service", string(map(statefulSet, "spec"),
        "serviceName"));
    assertEquals("None", string(map(headless, "spec"), "clusterIP"), "the governing Service");
    assertEquals(Boolean.TRUE, map(headless, "spec").get("publishNotReadyAddresses"),
        "pods have names before they are ready (the front resolves them at start)");
    Set<String> served = new TreeSet<>();
    for (Map<String, Object> svc : all("Service")) {
      if (selects(map(map(svc, "spec"), "selector"), labels)) {
        for (Object port : list(map(svc, "spec"), "ports")) {
          Object target = ((Map<?, ?>) port).get("targetPort");
          served.add(String.valueOf(target));
        }
      }
    }
    assertTrue(served.containsAll(List.of("sip-udp", "sip-tcp", "msrp", "management")), served
        .toString());
  }

  @Test
  void disruptionsKeepAMajorityAndStopsOutlastTheGracefulLeave() {
    Map<String, Object> pdb = all("PodDisruptionBudget").get(0);
    assertTrue(selects(map(map(pdb, "spec"), "selector").containsKey("matchLabels")
        ? map(map(map(pdb, "spec"), "selector"), "matchLabels") : Map.of(),
        podLabels(statefulSet)), "the budget covers the node pods");
    int replicas = ((Number) map(statefulSet, "spec").get("replicas")).intValue();
    int minAvailable = ((Number) map(pdb, "spec").get("minAvailable")).intValue();
    assertTrue(minAvailable > replicas / 2 && minAvailable < replicas, "minAvailable "
        + minAvailable + " of " + replicas + ": a majority stays, one may go");
    Duration grace = Duration.ofSeconds(((Number) podSpec.get("terminationGracePeriodSeconds"))
        .longValue());
    assertTrue(grace.compareTo(DeployFiles.longestLeave(config)) > 0, "grace " + grace
        + " must exceed the longest graceful leave " + DeployFiles.longestLeave(config));
  }

  @Test
  void theFrontDispatchesToEveryNodePodsSipPort() {
    Map<String, Object> front = object("Deployment", "ipsmgw-front");
    Map<String, Object> kamailio = (Map<String, Object>) list(podSpec(front), "containers").get(0);
    List<String> args = list(kamailio, "args").stream().map(String::valueOf).toList();
    assertTrue(args.contains("LISTEN_IP=$(POD_IP)"), args.toString());
    assertTrue(list(kamailio, "env").stream().anyMatch(e -> "POD_IP".equals(string(e, "name"))
        && "status.podIP".equals(string(map(map(e, "valueFrom"), "fieldRef"), "fieldPath"))),
        "POD_IP is the pod's address");
    String dispatcherFile = null;
    for (Object m : list(kamailio, "volumeMounts")) {
      if ("/etc/kamailio/dispatcher.list".equals(string(m, "mountPath"))) {
        for (Object v : list(podSpec(front), "volumes")) {
          if (string(v, "name").equals(string(m, "name"))) {
            Map<String, Object> cm = object("ConfigMap", string(map(v, "configMap"), "name"));
            dispatcherFile = string(map(cm, "data"), string(m, "subPath"));
          }
        }
      }
    }
    assertNotNull(dispatcherFile, "a dispatcher list mounted at /etc/kamailio/dispatcher.list");
    int replicas = ((Number) map(statefulSet, "spec").get("replicas")).intValue();
    String governing = string(map(statefulSet, "spec"), "serviceName");
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < replicas; i++) {
      expected.add(string(map(statefulSet, "metadata"), "name") + "-" + i + "." + governing + ":"
          + config.getInt("ipsmgw.sip.port"));
    }
    Set<String> targets = new TreeSet<>();
    for (Dispatcher.Target t : Dispatcher.targets(dispatcherFile)) {
      assertEquals(";transport=tcp", t.params());
      targets.add(t.hostPort());
    }
    assertEquals(expected, targets, "one line per node pod, its SIP port");
    int sipPort = Integer.parseInt(args.stream().filter(a -> a.startsWith("SIP_PORT="))
        .findFirst().orElse("SIP_PORT=5060").substring("SIP_PORT=".length()));
    Map<String, Object> svc = object("Service", "ipsmgw-front");
    assertTrue(selects(map(map(svc, "spec"), "selector"), podLabels(front)));
    Set<String> ports = new TreeSet<>();
    for (Object port : list(map(svc, "spec"), "ports")) {
      String proto = string(port, "protocol");
      ports.add(containerPort(kamailio, ((Map<?, ?>) port).get("targetPort"), proto));
    }
    assertEquals(Set.of(sipPort + "/UDP", sipPort + "/TCP"), ports);
  }

  @Test
  void kamailioAcceptsTheFrontsArguments() throws Exception {
    Map<String, Object> front = object("Deployment", "ipsmgw-front");
    Map<String, Object> kamailio = (Map<String, Object>) list(podSpec(front), "containers").get(0);
    List<String> args = list(kamailio, "args").stream().map(String::valueOf)
        .map(a -> a.replace("$(POD_IP)", "127.0.0.1")).toList();
    DeployFiles.assertKamailioAccepts(args, dir);
  }
}
