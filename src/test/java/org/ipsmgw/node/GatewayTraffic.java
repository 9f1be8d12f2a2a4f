package org.ipsmgw.node;

import java.time.Duration;
import org.ipsmgw.Await;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SmscSimulator;

/** What the node tests' CPM client and SMSC simulator wait for from a gateway. */
final class GatewayTraffic {
  private GatewayTraffic() {}

  /** The next chat text from the gateway; IMDNs of the SMS on the way are answered and skipped. */
  static String nextText(MsrpClient msrp, String ourUri, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      MsrpFrame f = msrp.nextRequest(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      msrp.send(MsrpWriter.response(f, ourUri, 200, "OK"));
      String text = CpimCodec.parse(f.body()).bodyText();
      if (!text.contains("imdn")) {
        return text;
      }
    }
  }

  /** The first SMS with {@code text} the simulator took. */
  static ReceivedSubmit awaitAtSmsc(SmscSimulator smsc, String text, Duration wait)
      throws InterruptedException {
    Await.until(() -> smsc.submits().stream().anyMatch(s -> text.equals(s.text())), wait,
        "'" + text + "' at the SMSC");
    return smsc.submits().stream().filter(s -> text.equals(s.text())).findFirst().orElseThrow();
  }
}
