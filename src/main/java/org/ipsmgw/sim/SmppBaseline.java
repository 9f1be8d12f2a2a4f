package org.ipsmgw.sim;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * The raw SMPP baseline the load tests divide by: one ESME bind (jsmpp, as the node uses it)
 * submitting as fast as a window of {@code window} outstanding submit_sm allows, for
 * {@code seconds}, against an SMSC (the simulator the scenario then uses). No receipts are asked,
 * so nothing comes back but the responses. The window is {@code window} threads each waiting for
 * its own submit_sm_resp, which is what jsmpp's synchronous submit on one session allows.
 */
public final class SmppBaseline {
  /** What one run measured: accepted submits, refused or failed ones, and the time taken. */
  public record Result(long accepted, long failed, long nanos, int window) {
    public double perSecond() {
      return nanos == 0 ? 0 : accepted * 1e9 / nanos;
    }

    /** One line, {@code key=value} words, that run.sh and the summary read. */
    public String line() {
      return String.format(java.util.Locale.ROOT,
          "smpp-baseline: submits_per_s=%.0f accepted=%d failed=%d seconds=%.2f window=%d",
          perSecond(), accepted, failed, nanos / 1e9, window);
    }
  }

  private SmppBaseline() {}

  /** Binds to {@code host:port}, submits for {@code seconds}, unbinds. */
  public static Result run(String host, int port, int window, double seconds) throws Exception {
    SMPPSession session = new SMPPSession();
    session.setTransactionTimer(10_000);
    session.setPduProcessorDegree(Math.max(1, window));
    session.connectAndBind(host, port, new BindParameter(BindType.BIND_TRX, "baseline", "",
        "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 5_000);
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long until = start + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(window);
    byte[] text = "baseline submit".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      for (int i = 0; i < window; i++) {
        Thread t = new Thread(() -> {
          try {
            while (System.nanoTime() < until) {
              try {
                session.submitShortMessage("", TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN, "447000000001", TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN, "447000000002", new ESMClass(), (byte) 0,
                    (byte) 0, null, null, new RegisteredDelivery(0), (byte) 0,
                    DataCodings.ZERO, (byte) 0, text);
                accepted.incrementAndGet();
              } catch (Exception e) {
                failed.incrementAndGet();
                if (!session.getSessionState().isBound()) {
                  return;
                }
              }
            }
          } finally {
            done.countDown();
          }
        }, "smpp-baseline-" + i);
        t.setDaemon(true);
        t.start();
      }
      done.await((long) seconds + 30, TimeUnit.SECONDS);
      return new Result(accepted.get(), failed.get(), System.nanoTime() - start, window);
    } finally {
      session.unbindAndClose();
    }
  }
}
