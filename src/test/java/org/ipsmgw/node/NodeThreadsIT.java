package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.Scrape;
import org.ipsmgw.TestPorts;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's process on two cores (as the JVM sees them) starts no thread per MO SMS. There the
 * JDK's common pool has parallelism 1, and every callback a Pekko ask answers asynchronously,
 * an actor's {@code ask} among them, ran on a new thread: 5,107 threads for 5,000 MO in the
 * mo-burst load. The launcher gives the common pool two threads unless the operator set it.
 */
class NodeThreadsIT {
  private static final String STARTED = "jvm_threads_started_threads_total";

  @TempDir
  Path workDir;

  @Test
  void moSmsStartNoThreadEachInANodeOnTwoCores() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults())) {
      int admin = TestPorts.free();
      Map<String, String> env = new HashMap<>();
      env.put("IPSMGW_ADMIN_PORT", String.valueOf(admin));
      env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_SMSC_PORT", String.valueOf(smsc.port()));
      env.put("IPSMGW_MSRP_PORT", String.valueOf(TestPorts.free()));
      env.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
      JarProcess node = new JarProcess(workDir, env, List.of("-XX:ActiveProcessorCount=2"),
          "node");
      try {
        assertNotNull(node.ready.get(60, TimeUnit.SECONDS),
            "no ready line; stdout: " + node.out + " stderr: " + node.err);
        // The first MO starts what starts once (the subscriber's shard, the pager's).
        assertEquals(List.of(0), smsc.injectMo("447700913000", "447700900999", "first"));
        double before = Scrape.value(admin, STARTED);
        int mo = 60;
        for (int i = 1; i <= mo; i++) {
          // Each is answered only once its conversation stored it: the hand-over is done.
          assertEquals(List.of(0), smsc.injectMo("447700913000", "447700900999", "mo " + i));
        }
        double started = Scrape.value(admin, STARTED) - before;
        assertTrue(started < mo / 3.0, started + " threads started for " + mo + " MO SMS");
      } finally {
        node.stop();
      }
    }
  }
}
