package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code load-tests/idle-chats.sh} refuses a bad argument with its usage line and exit 2, before
 * it builds or starts anything. The measurement itself (a node, thousands of chats, minutes) is
 * run by hand; its figures are in load-tests/RESULTS.md.
 */
class IdleChatsArgumentsTest {
  private record Run(int code, String out) {}

  private static Run idleChats(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/bash", "load-tests/idle-chats.sh"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(new File(".").getAbsoluteFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "idle-chats.sh still runs: " + out);
    return new Run(p.exitValue(), out);
  }

  @Test
  void aBadCountOfChatsPerConnectionOrHeapIsRefusedWithTheUsage() throws Exception {
    for (String[] bad : new String[][] {{"--per-connection", "0"}, {"--per-connection", "ten"},
        {"--probe-xmx", "lots"}, {"--xmx", "2"}, {"--count", "300000"}, {"--surprise"}}) {
      Run r = idleChats(bad);
      assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.out());
      assertTrue(r.out().contains("usage: load-tests/idle-chats.sh") && r.out().contains(
          "[--per-connection C]"), String.join(" ", bad) + ": " + r.out());
    }
  }
}
