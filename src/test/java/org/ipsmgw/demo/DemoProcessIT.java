package org.ipsmgw.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/ipsmgw.jar demo} as a user runs it: it exits 0 within two minutes and
 * its transcript shows each invitation behaviour and the chat both ways, with the long Greek
 * text in UCS-2 parts and the emoji intact, pager mode, and SMS-originated conversations.
 */
class DemoProcessIT {
  private static final String JAR = System.getProperty("ipsmgw.jar", "target/ipsmgw.jar");

  @TempDir
  Path workDir;

  @Test
  void theDemoPlaysEveryBehaviourAndExitsZero() throws Exception {
    Path stdout = workDir.resolve("stdout.txt");
    Path stderr = workDir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        new File(JAR).getAbsolutePath(), "demo")
        .directory(workDir.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("IPSMGW_"));
    Process demo = pb.start();
    try {
      assertTrue(demo.waitFor(120, TimeUnit.SECONDS), "the demo still runs after 120 s");
    } finally {
      if (demo.isAlive()) {
        demo.destroyForcibly();
        demo.waitFor(10, TimeUnit.SECONDS);
      }
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertEquals(0, demo.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
    for (String expected : List.of(
        "200 OK [Conversation-ID demo-conv-1, Contribution-ID demo-contrib-1]",
        "\"Hi Bob! Are we still on for tonight? 🍕\"",
        "UCS-2, part 1/2: \"Καλημέρα Bob!",
        "UCS-2, part 2/2:",
        "IMDN delivery-notification delivered for imdn-1",
        "SEND CPIM From <tel:+447700900777>",
        "603 Declined by user preference [Conversation-ID demo-conv-2",
        "no SMS was sent to Carol",
        "180 Ringing",
        "invites you to chat",
        "BYE [Conversation-ID demo-conv-3, Contribution-ID demo-contrib-3]",
        "603 Declined by SMS user [Conversation-ID demo-conv-4",
        "202 Accepted [Conversation-ID demo-conv-5, Contribution-ID demo-contrib-5]",
        "MESSAGE with IMDN delivered [Conversation-ID demo-conv-5",
        "InReplyTo-Contribution-ID demo-contrib-5",
        "MESSAGE tel:+447700900555 from <tel:+447700900781>",
        "INVITE tel:+447700900555 from <tel:+447700900782>",
        "\"Hi Alice, Grace here. Can we chat?\" → Alice answers 200",
        "demo finished")) {
      assertTrue(out.contains(expected), "transcript lacks '" + expected + "':\n" + out);
    }
    assertTrue(!out.contains(" INFO "), "the node's log stays out of the transcript:\n" + out);
  }
}
