package org.ipsmgw.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' promtool (Debian/Ubuntu package prometheus), run from the project directory.
 * Without it a test is skipped naming the package; under {@code CI=true} it fails instead, as
 * the SIPp scenarios do, so CI never passes without checking the rules. {@code -Dpromtool=PATH}
 * names another executable.
 */
final class Promtool {
  private static final String PROMTOOL = System.getProperty("promtool", "promtool");

  /** What one run printed, and how it ended. */
  record Run(int exit, String output) {}

  private Promtool() {}

  static boolean installed() {
    if (PROMTOOL.contains(File.separator)) {
      return Files.isExecutable(Path.of(PROMTOOL));
    }
    return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, PROMTOOL)));
  }

  static void assume() {
    String missing = PROMTOOL + " not on PATH: apt-get install prometheus";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertTrue(installed(), missing + " (CI=true: the rules must be checked; .ci/run installs"
          + " it when it runs as root)");
    }
    assumeTrue(installed(), missing);
  }

  static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PROMTOOL));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not end in 60 s");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
