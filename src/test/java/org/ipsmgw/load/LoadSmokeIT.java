package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tests' smoke as CI runs it: {@code bash load-tests/run.sh smoke --duration 12} starts
 * the SMSC simulator, measures the baselines against it briefly (a raw jsmpp ESME; SIPp uac →
 * uas when installed), starts a node on free loopback ports, drives chats both ways with Gatling
 * over real SIP, MSRP and SMPP, and stops everything. It must exit 0, its summary must show
 * requests with no KO at all, every token must have arrived exactly once and in order, and the
 * chat figures must be printed as ratios to the SMPP baseline (set-ups to SIPp's when SIPp is
 * there, else the line saying it is missing).
 */
class LoadSmokeIT {
  private static final Pattern ALL = Pattern.compile(
      "(?m)^all requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s");

  @TempDir
  Path workDir;

  @Test
  void theSmokeRunsCleanAndEveryMessageArrivesOnceInOrder() throws Exception {
    Path out = workDir.resolve("run.txt");
    ProcessBuilder pb = new ProcessBuilder("bash", "load-tests/run.sh", "smoke", "--duration",
        "12").directory(new File(".").getAbsoluteFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("IPSMGW_"));
    pb.environment().put("TMPDIR", workDir.toString());
    Process run = pb.start();
    try {
      assertTrue(run.waitFor(240, TimeUnit.SECONDS), "run.sh smoke still runs after 240 s:\n"
          + Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      if (run.isAlive()) {
        // SIGTERM first: run.sh's trap then stops the node and the simulator it started.
        run.destroy();
        if (!run.waitFor(20, TimeUnit.SECONDS)) {
          run.descendants().forEach(ProcessHandle::destroyForcibly);
          run.destroyForcibly();
        }
      }
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, run.exitValue(), text);
    Matcher all = ALL.matcher(text);
    assertTrue(all.find(), "no 'all requests' line in the summary:\n" + text);
    long total = Long.parseLong(all.group(1));
    assertTrue(total > 50, "too few requests for a smoke:\n" + text);
    assertEquals(total, Long.parseLong(all.group(2)), "every request OK:\n" + text);
    assertEquals(0, Long.parseLong(all.group(3)), "no KO:\n" + text);
    assertTrue(text.contains("load: exactly-once and order: OK"), text);
    // Every request OK, so no edge's ask went unanswered; a copy given again may be (a slow SEND).
    assertTrue(text.matches("(?s).*\\nedge asks since start, given again / not answered in time:"
        + " node1 \\d+ / 0;\\n.*"), text);
    assertTrue(text.matches("(?s).*SMS->MSRP sent [1-9]\\d*, at CPM once [1-9].*"), text);
    assertTrue(text.contains("report: ") && text.contains("index.html"), text);
    assertTrue(text.matches("(?s).*\\nbaselines \\(same run\\): SMPP [0-9,]+ submits/s "
        + "\\(one jsmpp bind, window 10\\), MO offered by the simulator up to [0-9,]+/s; SIPp .*"), text);
    assertTrue(text.matches("(?s).*\\nMSRP SEND→200 +[0-9.]+/s = [0-9.]+ of SMPP\\n.*"), text);
    assertTrue(text.matches("(?s).*\\nMO deliver_sm_resp +[0-9.]+/s = [0-9.]+ of SMPP\\n.*"), text);
    boolean sipp = java.util.stream.Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "sipp")));
    if (sipp) {
      assertTrue(text.matches("(?s).*\\nINVITE→200 +[0-9.]+/s = [0-9.]+ of SIPp \\(p99 .*"),
          text);
    } else {
      assertTrue(text.contains("sipp is not installed (package sip-tester)"), text);
      assertTrue(!text.contains("of SIPp"), text);
    }
  }
}
