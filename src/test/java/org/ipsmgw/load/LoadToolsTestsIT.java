package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tools' own unit tests (load-tests/ is its own Maven project, which the node's
 * {@code mvn verify} does not build): {@code mvn -B -f load-tests/pom.xml test} must pass with
 * every test run and none skipped. Offline first, as run.sh builds; once online when the local
 * repository does not hold Gatling yet (a fresh machine).
 */
class LoadToolsTestsIT {
  private static final Pattern TOTAL = Pattern.compile(
      "(?m)^\\[INFO\\] Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)$");

  @TempDir
  Path workDir;

  private record Build(int code, String out) {}

  private Build mvn(boolean offline) throws Exception {
    Path out = workDir.resolve(offline ? "offline.txt" : "online.txt");
    List<String> command = new ArrayList<>(List.of("mvn", "-B"));
    if (offline) {
      command.add("-o");
    }
    command.addAll(List.of("-f", "load-tests/pom.xml", "test"));
    Process p = new ProcessBuilder(command).directory(new File(".").getAbsoluteFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "mvn test of load-tests still runs after "
          + "300 s:\n" + Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    return new Build(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void theLoadToolsUnitTestsPassWithNoneSkipped() throws Exception {
    Build b = mvn(true);
    if (b.code() != 0 && b.out().contains("offline")) {
      b = mvn(false);
    }
    assertEquals(0, b.code(), b.out());
    // The last summary line is the whole run's (each test class has its own before it).
    String[] total = null;
    Matcher m = TOTAL.matcher(b.out());
    while (m.find()) {
      total = new String[] {m.group(1), m.group(2), m.group(3), m.group(4)};
    }
    assertTrue(total != null, "no test summary:\n" + b.out());
    assertTrue(Integer.parseInt(total[0]) >= 27, "too few tests ran:\n" + b.out());
    assertEquals("0", total[1], b.out());
    assertEquals("0", total[2], b.out());
    assertEquals("0", total[3], "none skipped:\n" + b.out());
  }
}
