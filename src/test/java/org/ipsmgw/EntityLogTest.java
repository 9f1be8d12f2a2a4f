package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EntityLogTest {
  private final EntityLog log =
      new EntityLog(LoggerFactory.getLogger(EntityLogTest.class), "session", "a{}b@cpm.example");

  private static String only(LogCapture capture) {
    List<LogCapture.Line> lines = capture.lines().stream()
        .filter(l -> l.logger().equals(EntityLogTest.class.getName())).toList();
    assertEquals(1, lines.size(), String.valueOf(lines));
    return lines.get(0).text();
  }

  @Test
  void theIdIsThePrefixAndBracesInItShiftNoArgument() {
    try (LogCapture capture = LogCapture.attach()) {
      log.info("state {}", "ACTIVE");
      assertEquals("[session a{}b@cpm.example] state ACTIVE", only(capture));
    }
  }

  @Test
  void peerTextIsEscapedAndCutShortOneByOneInACollectionToo() {
    String forged = "x\r\n2026-12-01 INFO fake line " + "y".repeat(100);
    try (LogCapture capture = LogCapture.attach()) {
      log.warn("target {} ids {} count {}", forged, List.of("id-1", forged), 2);
      String line = only(capture);
      assertTrue(line.startsWith("[session a{}b@cpm.example] target x\\x0D\\x0A2026"), line);
      assertTrue(line.contains("ids [id-1, x\\x0D\\x0A"), line);
      assertTrue(line.endsWith(" count 2"), line);
      assertTrue(!line.contains("\n") && !line.contains("y".repeat(70)), line);
    }
  }
}
