package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar's command line as the launcher reads it — usage, help, misplaced and unknown
 * arguments — and that the node it starts depends on none of the tools it can also start.
 */
class LauncherTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.run(args, Map.of(), new Properties(),
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsageAndExits0() {
    for (String help : List.of("--help", "-h")) {
      Run r = run("--config", "x.conf", help);
      assertEquals(0, r.code());
      assertEquals(Launcher.USAGE + System.lineSeparator(), r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void badUsageIsOneLineAndTheUsageWithExit2() {
    assertUsageError(run("--frobnicate"), "ipsmgw: unknown argument '--frobnicate'");
    assertUsageError(run("--config"), "ipsmgw: --config needs a file");
    assertUsageError(run("node", "smsc-sim"), "ipsmgw: 'smsc-sim' must be the first argument");
    assertUsageError(run("--config", "x.conf", "cpm-client"),
        "ipsmgw: 'cpm-client' must be the first argument");
  }

  @Test
  void aToolGetsTheArgumentsAfterItsName() {
    Run sim = run("smsc-sim", "--help");
    assertEquals(0, sim.code());
    assertTrue(sim.out().startsWith("usage: java -jar ipsmgw.jar smsc-sim "), sim.out());
    Run client = run("cpm-client", "--frobnicate");
    assertEquals(2, client.code());
    assertTrue(client.err().startsWith("cpm-client: unknown argument '--frobnicate'"),
        client.err());
  }

  @Test
  void theNodeDependsOnNoTool() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/java/org/ipsmgw/node"))) {
      for (Path f : files.toList()) {
        String source = Files.readString(f);
        for (String tool : List.of("org.ipsmgw.sim.", "org.ipsmgw.demo.")) {
          assertFalse(source.contains(tool), f.getFileName() + " refers to " + tool);
        }
      }
    }
  }

  private static void assertUsageError(Run r, String line) {
    assertEquals(2, r.code(), r.err());
    assertEquals(List.of(line, Launcher.USAGE), r.err().lines().toList());
    assertEquals("", r.out());
  }

  @Test
  void theCommonPoolGetsTwoThreadsOnTwoCoresUnlessTheOperatorSetIt() {
    Properties two = new Properties();
    Launcher.commonPoolOfAtLeastTwo(two, 2);
    assertEquals("2", two.getProperty(Launcher.COMMON_POOL_PARALLELISM));
    Properties many = new Properties();
    Launcher.commonPoolOfAtLeastTwo(many, 8);
    assertEquals(null, many.getProperty(Launcher.COMMON_POOL_PARALLELISM), "7 of 8 by default");
    Properties own = new Properties();
    own.setProperty(Launcher.COMMON_POOL_PARALLELISM, "1");
    Launcher.commonPoolOfAtLeastTwo(own, 2);
    assertEquals("1", own.getProperty(Launcher.COMMON_POOL_PARALLELISM));
  }
}
