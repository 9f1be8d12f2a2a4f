package org.ipsmgw.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node image without a container engine: deploy/docker/Dockerfile parsed (base, user, what it
 * copies, EXPOSE against the node's default ports, HEALTHCHECK against the admin routes), its
 * healthcheck script against a real HTTP server, and build.sh's answer when no engine answers.
 */
class DockerImageTest {
  private static final Path DOCKERFILE = DeployFiles.DOCKER.resolve("Dockerfile");

  @TempDir
  Path dir;

  /** Instruction and arguments, continuation lines joined, comments dropped. */
  private record Instruction(String name, String args) {}

  private static List<Instruction> instructions(Path dockerfile) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : DeployFiles.read(dockerfile).split("\n")) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String joined = current.toString().strip();
      current.setLength(0);
      int space = joined.indexOf(' ');
      out.add(new Instruction(joined.substring(0, space).toUpperCase(),
          joined.substring(space + 1).strip()));
    }
    return out;
  }

  private static List<Instruction> all(String name) {
    return instructions(DOCKERFILE).stream().filter(i -> i.name().equals(name)).toList();
  }

  private static Instruction last(String name) {
    List<Instruction> found = all(name);
    assertFalse(found.isEmpty(), "Dockerfile has no " + name);
    return found.get(found.size() - 1);
  }

  /** ["a", "b"] → a, b */
  private static List<String> execForm(String args) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(args);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void aJre17BaseAndANonRootUser() {
    assertTrue(last("FROM").args().startsWith("eclipse-temurin:17-jre"), last("FROM").args());
    String user = last("USER").args();
    String name = user.split(":")[0];
    assertFalse(name.equals("root") || name.equals("0"), "USER " + user);
    assertTrue(name.matches("[1-9]\\d*"), "numeric USER (Kubernetes runAsNonRoot checks it): "
        + user);
    List<Instruction> all = instructions(DOCKERFILE);
    assertTrue(all.indexOf(last("USER")) < all.indexOf(last("ENTRYPOINT")),
        "the entrypoint runs as that user");
  }

  @Test
  void itCopiesTheJarTheBuildMakesConfAndTheScripts() {
    String pom = DeployFiles.read(DeployFiles.ROOT.resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertTrue(finalName.find(), "pom.xml names its jar");
    Set<String> sources = new TreeSet<>();
    for (Instruction copy : all("COPY")) {
      List<String> words = List.of(copy.args().split("\\s+"));
      sources.addAll(words.subList(0, words.size() - 1));
    }
    assertTrue(sources.contains("target/" + finalName.group(1) + ".jar"), sources.toString());
    for (String source : sources) {
      if (!source.startsWith("target/")) {
        assertTrue(Files.exists(DeployFiles.ROOT.resolve(source)), "COPY source " + source);
      }
    }
    assertTrue(sources.contains("conf/"), sources.toString());
    List<String> entrypoint = execForm(last("ENTRYPOINT").args());
    assertEquals(List.of("/opt/ipsmgw/bin/entrypoint.sh"), entrypoint);
    assertTrue(sources.contains("deploy/docker/entrypoint.sh")
        && sources.contains("deploy/docker/node-env.sh"), sources.toString());
    assertEquals("SIGTERM", last("STOPSIGNAL").args(), "SIGTERM is the graceful leave");
  }

  @Test
  void exposedPortsAreTheNodesDefaultPorts() {
    Config c = DeployFiles.defaults();
    Set<String> expected = Set.of(c.getInt("ipsmgw.sip.port") + "/udp",
        c.getInt("ipsmgw.sip.port") + "/tcp", c.getInt("ipsmgw.msrp.port") + "/tcp",
        c.getInt("ipsmgw.admin.port") + "/tcp", c.getInt("ipsmgw.cluster.port") + "/tcp");
    Set<String> exposed = new TreeSet<>();
    for (Instruction e : all("EXPOSE")) {
      for (String port : e.args().split("\\s+")) {
        exposed.add(port.contains("/") ? port : port + "/tcp");
      }
    }
    assertEquals(new TreeSet<>(expected), exposed,
        "SIP UDP+TCP, MSRP, admin (Pekko Management), cluster remoting");
  }

  @Test
  void theHealthcheckAsksTheAdminLivenessRoute() {
    String args = last("HEALTHCHECK").args();
    int cmd = args.indexOf("CMD ");
    assertTrue(cmd >= 0, args);
    List<String> command = execForm(args.substring(cmd));
    assertEquals(List.of("/opt/ipsmgw/bin/healthcheck.sh",
        DeployFiles.livenessPath(DeployFiles.defaults())), command);
  }

  private Process healthcheck(String path, int port) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash",
        DeployFiles.DOCKER.resolve("healthcheck.sh").toString(), path)
        .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
    pb.environment().put("IPSMGW_ADMIN_HOST", "127.0.0.1");
    pb.environment().put("IPSMGW_ADMIN_PORT", String.valueOf(port));
    return pb.start();
  }

  private int exit(Process p) throws InterruptedException {
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "healthcheck ended");
    return p.exitValue();
  }

  @Test
  void theHealthcheckScriptIsHealthyOnlyOnA200() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/", exchange -> {
      asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/alive") ? 200 : 500,
          body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    admin.start();
    int port = admin.getAddress().getPort();
    try {
      assertEquals(0, exit(healthcheck("/alive", port)), Files.readString(dir.resolve("out")));
      assertEquals(List.of("GET /alive"), asked);
      assertEquals(1, exit(healthcheck("/ready", port)));
      assertTrue(Files.readString(dir.resolve("out")).contains("500"),
          Files.readString(dir.resolve("out")));
    } finally {
      admin.stop(0);
    }
    int closed = TestPorts.free();
    assertEquals(1, exit(healthcheck("/alive", closed)), "nothing listening: unhealthy");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Process build(String dockerScript) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(bin.resolve("docker"), dockerScript);
    executable(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + dir.resolve("calls")
        + "'\n");
    ProcessBuilder pb = new ProcessBuilder("bash",
        DeployFiles.DOCKER.resolve("build.sh").toString(), "t1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("build.out").toFile());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().remove("DOCKER");
    return pb.start();
  }

  @Test
  void buildShSaysItNeedsAnEngineBeforeBuildingAnything() throws Exception {
    Process p = build("#!/bin/sh\necho \"docker $*\" >> '" + dir.resolve("calls") + "'\n"
        + "[ \"$1\" = info ] && { echo 'Cannot connect to the Docker daemon at"
        + " unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1; }\n");
    assertEquals(3, exit(p));
    String out = Files.readString(dir.resolve("build.out"));
    assertTrue(out.contains("no container engine answers")
        && out.contains("needs a running Docker engine")
        && out.contains("Cannot connect to the Docker daemon"), out);
    assertEquals(List.of("docker info"), Files.readAllLines(dir.resolve("calls")),
        "no Maven build and no docker build without an engine");
  }

  @Test
  void buildShPackagesThenBuildsBothImages() throws Exception {
    Process p = build("#!/bin/sh\necho \"docker $*\" >> '" + dir.resolve("calls") + "'\n");
    assertEquals(0, exit(p), Files.readString(dir.resolve("build.out")));
    assertEquals(List.of("docker info", "mvn -B package -DskipTests",
        "docker build -f deploy/docker/Dockerfile -t ipsmgw:t1 .",
        "docker build -f deploy/docker/kamailio.Dockerfile -t ipsmgw-kamailio:t1 ."),
        Files.readAllLines(dir.resolve("calls")));
  }
}
