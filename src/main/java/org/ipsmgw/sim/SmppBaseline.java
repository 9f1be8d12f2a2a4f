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

  /** What the MO capacity run measured: deliver_sm received and answered, over how long. */
  public record MoResult(long delivered, long nanos) {
    public double perSecond() {
      return nanos == 0 ? 0 : delivered * 1e9 / nanos;
    }

    public String line() {
      return String.format(java.util.Locale.ROOT,
          "smpp-baseline-mo: mo_per_s=%.0f delivered=%d seconds=%.2f", perSecond(), delivered,
          nanos / 1e9);
    }
  }

  /**
   * Where the MO of the capacity run come from: the simulator's batch injection, and a way to
   * learn that it has recorded the ESME's answer to each of them.
   */
  public interface MoSource {
    /** Queues the batch at the simulator; returns the id of its first MO. */
    long inject(java.util.List<MoBatches.Mo> batch) throws Exception;

    /**
     * Returns once the simulator has an outcome for each of the {@code count} MO from id
     * {@code first} on, or {@code millis} passed.
     */
    void awaitAnswered(long first, int count, long millis) throws Exception;
  }

  /**
   * The simulator's own MO capacity, the other way: binds one ESME that answers every deliver_sm
   * at once, has {@code source} queue {@code count} MO over {@code pairs} (sender, recipient)
   * pairs, and counts them in until all came or {@code maxSeconds} passed. This is what the load
   * tool can offer a node at most. An MO is counted once by its text, so a deliver_sm the
   * simulator sends again cannot fill the count early; and the bind stays up until the simulator
   * has recorded every answer, since jsmpp sends a deliver_sm_resp only after the listener has
   * counted it, and an unbind sent at once would overtake the last ones.
   */
  public static MoResult moCapacity(String host, int port, int count, int pairs,
      MoSource source, double maxSeconds) throws Exception {
    SMPPSession session = new SMPPSession();
    session.setTransactionTimer(10_000);
    session.setPduProcessorDegree(10);
    session.setQueueCapacity(Math.max(100, count));
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CountDownLatch all = new CountDownLatch(count);
    AtomicLong lastAt = new AtomicLong();
    session.setMessageReceiverListener(new DeliverSmListener(sm -> {
      if (seen.add(new String(sm.getShortMessage(), java.nio.charset.StandardCharsets.ISO_8859_1))) {
        lastAt.set(System.nanoTime());
        all.countDown();
      }
    }));
    session.connectAndBind(host, port, new BindParameter(BindType.BIND_TRX, "baseline-mo", "",
        "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 5_000);
    try {
      java.util.List<MoBatches.Mo> batch = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        batch.add(new MoBatches.Mo("+4477" + String.format("%08d", i % pairs), "+447000000001",
            "baseline mo " + i));
      }
      long maxMillis = (long) (maxSeconds * 1000);
      long start = System.nanoTime();
      long first = source.inject(batch);
      all.await(maxMillis, TimeUnit.MILLISECONDS);
      long delivered = count - all.getCount();
      source.awaitAnswered(first, count, maxMillis);
      return new MoResult(delivered, delivered == 0 ? 0 : lastAt.get() - start);
    } finally {
      session.unbindAndClose();
    }
  }

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
