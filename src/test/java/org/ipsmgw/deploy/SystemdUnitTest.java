package org.ipsmgw.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/ipsmgw.service and ipsmgw.env: restart and stop behaviour against the node's
 * exit codes and its longest graceful leave, the hardening set, the env file's variables against
 * the node's, and {@code systemd-analyze verify} on the unit where systemd is installed.
 */
class SystemdUnitTest {
  private static final Path SYSTEMD = DeployFiles.ROOT.resolve("deploy/systemd");
  private static final Path UNIT = SYSTEMD.resolve("ipsmgw.service");
  private static final Pattern UNIT_VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");

  @TempDir
  Path dir;

  /** [Service] (or another section) key → values, in order; comments dropped. */
  private static Map<String, List<String>> section(String name) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String current = null;
    for (String line : DeployFiles.read(UNIT).split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      if (t.startsWith("[")) {
        current = t;
        continue;
      }
      if (("[" + name + "]").equals(current)) {
        int eq = t.indexOf('=');
        out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>()).add(t.substring(eq + 1));
      }
    }
    return out;
  }

  private static String one(Map<String, List<String>> section, String key) {
    List<String> values = section.get(key);
    assertTrue(values != null && values.size() == 1, key + " once: " + values);
    return values.get(0);
  }

  @Test
  void restartsADownedNodeAndOutwaitsTheGracefulLeave() {
    Map<String, List<String>> service = section("Service");
    // Main: SIGTERM/SIGINT → leave, exit 0; downed by the split-brain resolver or a failed
    // start → exit 1. on-failure restarts the second and leaves the first stopped.
    assertEquals("on-failure", one(service, "Restart"));
    assertEquals("SIGTERM", one(service, "KillSignal"));
    Duration stop = Duration.ofSeconds(Long.parseLong(one(service, "TimeoutStopSec")));
    Config c = DeployFiles.defaults();
    assertTrue(stop.compareTo(DeployFiles.longestLeave(c)) > 0, "TimeoutStopSec " + stop
        + " must exceed the longest graceful leave " + DeployFiles.longestLeave(c));
    assertTrue(one(service, "ExecStart").contains(" -jar /opt/ipsmgw/ipsmgw.jar node"),
        one(service, "ExecStart"));
  }

  @Test
  void aDedicatedUserAndTheHardeningSet() {
    Map<String, List<String>> service = section("Service");
    String user = one(service, "User");
    assertTrue(!user.equals("root") && !user.equals("0"), "User=" + user);
    assertTrue(DeployFiles.read(SYSTEMD.resolve("ipsmgw.sysusers")).contains("u " + user + " "),
        "ipsmgw.sysusers creates " + user);
    Map<String, String> hardening = Map.of("NoNewPrivileges", "yes", "ProtectSystem", "strict",
        "ProtectHome", "yes", "PrivateTmp", "yes", "PrivateDevices", "yes",
        "ProtectKernelTunables", "yes", "ProtectControlGroups", "yes", "RestrictSUIDSGID", "yes",
        "CapabilityBoundingSet", "");
    hardening.forEach((k, v) -> assertEquals(v, one(service, k), k));
    // ProtectSystem=strict: only ReadWritePaths are writable; the H2 journal's ./data is under
    // the working directory.
    String workDir = one(service, "WorkingDirectory");
    assertEquals(workDir, one(service, "ReadWritePaths"));
    String h2 = c().getString("ipsmgw.db.url");
    assertTrue(h2.startsWith("jdbc:h2:file:./"), "the default journal is relative: " + h2);
  }

  private static Config c() {
    return DeployFiles.defaults();
  }

  @Test
  void theEnvFileSetsOnlyVariablesTheNodeOrTheUnitReads() {
    Set<String> unitReads = new TreeSet<>();
    Matcher m = UNIT_VARIABLE.matcher(one(section("Service"), "ExecStart"));
    while (m.find()) {
      unitReads.add(m.group(1));
    }
    Map<String, String> set = new LinkedHashMap<>();
    List<String> commented = new ArrayList<>();
    Pattern assignment = Pattern.compile("^(#?)([A-Z][A-Z0-9_]*)=(.*)$");
    for (String line : DeployFiles.read(SYSTEMD.resolve("ipsmgw.env")).split("\n")) {
      Matcher a = assignment.matcher(line.strip());
      if (a.matches()) {
        if (a.group(1).isEmpty()) {
          set.put(a.group(2), a.group(3));
        } else {
          commented.add(a.group(2));
        }
      }
    }
    assertTrue(one(section("Service"), "EnvironmentFile").endsWith("/ipsmgw.env"));
    // The commented examples count too: an operator uncomments them.
    List<String> all = new ArrayList<>(set.keySet());
    all.addAll(commented);
    DeployFiles.assertReadVariables("ipsmgw.env", all, unitReads);
    Map<String, String> ipsmgw = new LinkedHashMap<>();
    set.forEach((k, v) -> {
      if (k.startsWith("IPSMGW_")) {
        ipsmgw.put(k, v);
      }
    });
    DeployFiles.nodeConfig(null, ipsmgw);
  }

  @Test
  void systemdAnalyzeVerifiesTheUnit() throws Exception {
    Path analyze = DeployFiles.tool("systemd-analyze", "systemd");
    // verify checks the unit's syntax and values (an unknown key or a bad value is one line of
    // output), that ExecStart's binary exists and is executable, and the [Install] section. The
    // copy names this machine's java (the unit's /usr/bin/java may be missing here) and the
    // repository's env file; everything else is the unit as shipped.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String unit = DeployFiles.read(UNIT);
    String copy = unit.replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ")
        .replace("EnvironmentFile=/etc/ipsmgw/ipsmgw.env",
            "EnvironmentFile=" + SYSTEMD.resolve("ipsmgw.env"));
    assertTrue(!copy.equals(unit) && copy.contains("ExecStart=" + java), "ExecStart rewritten");
    Path file = dir.resolve("ipsmgw.service");
    Files.writeString(file, copy);
    Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("verify.out").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze ended");
    String out = Files.readString(dir.resolve("verify.out")).strip();
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out, "systemd-analyze verify has nothing to say about the unit");
  }
}
