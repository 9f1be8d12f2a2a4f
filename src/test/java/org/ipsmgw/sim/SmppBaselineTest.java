package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The raw SMPP baseline against the simulator itself: every submit it counts as accepted is one
 * the simulator recorded and accepted, nothing asks a receipt, and its line carries the rate.
 */
class SmppBaselineTest {
  @Test
  void everyAcceptedSubmitIsOneTheSimulatorAcceptedAndTheRateIsCountOverTime() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults())) {
      SmppBaseline.Result r = SmppBaseline.run("127.0.0.1", smsc.port(), 4, 1);
      assertTrue(r.accepted() > 0, r.line());
      assertEquals(0, r.failed(), r.line());
      assertEquals(r.accepted(), smsc.submits().size(), "one recorded submit per accepted one");
      assertTrue(smsc.submits().stream().allMatch(s -> s.status() == 0
          && s.registeredDelivery() == 0), "all accepted, none asks a receipt");
      assertEquals(r.accepted() * 1e9 / r.nanos(), r.perSecond(), 1e-6);
      assertTrue(r.nanos() >= 1_000_000_000L, "ran its second: " + r.line());
      assertTrue(r.line().matches("smpp-baseline: submits_per_s=\\d+ accepted=\\d+ failed=0 "
          + "seconds=\\d+\\.\\d\\d window=4"), r.line());
    }
  }

  @Test
  void theMoCapacityCountsEveryBatchedMoTheEsmeGot() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults())) {
      SmppBaseline.MoResult r = SmppBaseline.moCapacity("127.0.0.1", smsc.port(), 500, 20,
          new SmppBaseline.MoSource() {
            @Override
            public long inject(java.util.List<MoBatches.Mo> batch) {
              return smsc.injectMoBatch(batch);
            }

            @Override
            public void awaitAnswered(long first, int count, long millis)
                throws InterruptedException {
              org.ipsmgw.Await.until(() -> outcomes(smsc) >= count,
                  java.time.Duration.ofMillis(millis), "the simulator has every MO's outcome");
            }
          }, 20);
      assertEquals(500, r.delivered(), r.line());
      assertTrue(r.nanos() > 0 && r.perSecond() > 0, r.line());
      // moCapacity unbinds only after the simulator recorded every outcome: none may be lost.
      assertEquals(500, smsc.deliveries().stream().filter(SmscDelivery::accepted).count(),
          "every deliver_sm answered 0 before the unbind");
      assertTrue(r.line().matches("smpp-baseline-mo: mo_per_s=\\d+ delivered=500 "
          + "seconds=\\d+\\.\\d\\d"), r.line());
    }
  }

  private static int outcomes(SmscSimulator smsc) {
    try {
      return smsc.moResultsFrom(0, 0).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Test
  void badUsageIsOneLineAndExitTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SmppBaselineMain.run(new String[] {"--window", "10"}, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("smpp-baseline: --port is "
        + "required"), err.toString(StandardCharsets.UTF_8));
  }
}
