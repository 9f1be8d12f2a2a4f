package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * A leaving node's coordinated shutdown runs the graceful-leave tasks in their phases: the SIP
 * drain and its wait (service-unbind), then the SMPP drain (service-requests-done), and only
 * then the hand-over of shards and the cluster leave.
 */
class GracefulLeaveIT {
  private static final Duration DRAIN_WAIT = Duration.ofMillis(1500);

  private record Reason() implements CoordinatedShutdown.Reason {}

  @Test
  void sipDrainThenItsWaitThenSmppDrainThenShardHandOffAndLeave() throws Exception {
    Properties keys = new Properties();
    keys.setProperty(GracefulLeave.SIP_DRAIN_WAIT, DRAIN_WAIT.toMillis() + "ms");
    try (LogCapture log = LogCapture.attach();
        EdgeNode edges = EdgeNode.builder().properties(keys).start()) {
      long started = System.nanoTime();
      CoordinatedShutdown.get(edges.node.system().classicSystem()).runAll(new Reason())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      long took = System.nanoTime() - started;
      List<String> lines = log.lines().stream().map(LogCapture.Line::text).toList();
      List<String> order = List.of("leaving: SIP gateway draining", "leaving: SIP drain wait over",
          "leaving: SMPP gateway settling", "leaving: SMPP gateway drained",
          "Exiting completed");
      int previous = -1;
      for (String step : order) {
        int at = indexOf(lines, step);
        assertTrue(at > previous, "'" + step + "' after the step before it: " + lines);
        previous = at;
      }
      assertTrue(took >= DRAIN_WAIT.toNanos(), "the shutdown waited for the front: "
          + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
    }
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}
