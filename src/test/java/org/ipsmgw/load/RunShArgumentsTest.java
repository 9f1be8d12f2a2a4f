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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load-tests/run.sh}'s arguments for the three-node run, checked without starting
 * anything ({@code LOAD_CHECK_ARGS=1}: run.sh checks its arguments, prints what it would run and
 * exits 0 before it builds or starts a process). The three-node run itself (PostgreSQL, three
 * nodes, the Kamailio front, 2–3 minutes on two cores) is run by hand:
 * {@code load-tests/run.sh smoke --nodes 3} (see load-tests/README.md).
 */
class RunShArgumentsTest {
  @TempDir
  Path tools;

  private record Run(int code, String out) {}

  /** run.sh with these arguments and this PATH (null: the test's own). */
  private static Run runSh(String path, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/bash", "load-tests/run.sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(new File(".").getAbsoluteFile())
        .redirectErrorStream(true);
    pb.environment().put("LOAD_CHECK_ARGS", "1");
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "run.sh still runs: " + out);
    return new Run(p.exitValue(), out);
  }

  private static boolean kamailioInstalled() {
    return java.util.stream.Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kamailio")));
  }

  @Test
  void threeNodesAreAcceptedWithAWarmUpAndTheFrontThatIsInstalled() throws Exception {
    Run r = runSh(null, "smoke", "--nodes", "3", "--no-baselines");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("would run smoke (org.ipsmgw.load.ChatSteady), nodes 3,"), r.out());
    assertTrue(r.out().contains("warm-up 5 s"), "a fresh cluster is warmed by default: " + r.out());
    assertTrue(r.out().contains("sip front " + (kamailioInstalled() ? "kamailio" : "nodes")),
        r.out());
  }

  @Test
  void withoutKamailioTheInvitesGoToTheNodesThemselves() throws Exception {
    // A PATH with only what run.sh needs before it starts anything, and no kamailio.
    for (String tool : List.of("dirname")) {
      Path real = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(tools.resolve(tool), Files.exists(real) ? real
          : Path.of("/bin", tool));
    }
    Run r = runSh(tools.toString(), "chat-steady", "--nodes", "3", "--duration", "20");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("nodes 3, duration 20 s"), r.out());
    assertTrue(r.out().contains("sip front nodes"), r.out());
  }

  @Test
  void oneNodeHasNoFrontAndNoWarmUpUnlessAsked() throws Exception {
    Run plain = runSh(null, "chat-steady");
    assertEquals(0, plain.code(), plain.out());
    assertTrue(plain.out().contains("nodes 1,") && plain.out().contains("warm-up 0 s")
        && plain.out().contains("sip front none"), plain.out());
    Run warm = runSh(null, "chat-steady", "--warm-up", "5");
    assertTrue(warm.out().contains("warm-up 5 s"), warm.out());
    Run cold = runSh(null, "chat-steady", "--nodes", "3", "--warm-up", "0");
    assertTrue(cold.out().contains("nodes 3,") && cold.out().contains("warm-up 0 s"), cold.out());
  }

  @Test
  void badNodeCountsAndWarmUpsAreUsageErrors() throws Exception {
    Run two = runSh(null, "smoke", "--nodes", "2");
    assertEquals(2, two.code(), two.out());
    assertTrue(two.out().contains("--nodes must be 1 or 3, got '2'"), two.out());
    Run missing = runSh(null, "smoke", "--nodes");
    assertEquals(2, missing.code(), missing.out());
    assertTrue(missing.out().contains("usage: load-tests/run.sh"), missing.out());
    Run tooLong = runSh(null, "smoke", "--nodes", "3", "--warm-up", "61");
    assertEquals(2, tooLong.code(), tooLong.out());
    assertTrue(tooLong.out().contains("--warm-up must be 0..60 seconds, got '61'"), tooLong.out());
    Run word = runSh(null, "smoke", "--warm-up", "x");
    assertEquals(2, word.code(), word.out());
  }

  @Test
  void theCheckStartsNothing() throws Exception {
    Path tmp = Files.createDirectories(tools.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "load-tests/run.sh", "smoke", "--nodes",
        "3").directory(new File(".").getAbsoluteFile()).redirectErrorStream(true);
    pb.environment().put("LOAD_CHECK_ARGS", "1");
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "no work directory made by a check");
    }
  }
}
