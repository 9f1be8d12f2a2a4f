package org.ipsmgw.sip;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Over UDP nothing else repeats a 2xx to INVITE: it is resent at T1, then at intervals doubling up
 * to T2, until its ACK comes or 64·T1 have passed (RFC 3261 §13.3.1.4). By then the chat has
 * given the dialog up with a BYE, which stops the resending too.
 */
final class OkRetransmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OkRetransmitter.class);

  /** Runs a task once after a delay; the returned future cancels it. */
  interface Timer {
    Future<?> after(long millis, Runnable task);
  }

  /** Sends the 2xx once more. */
  interface Resend {
    void run() throws Exception;
  }

  private final long t1;
  private final long t2;
  private final long giveUp;
  private final Timer timer;
  private final Runnable close;
  private final Map<String, Resending> resending = new ConcurrentHashMap<>();

  OkRetransmitter(Duration t1, Duration t2, Timer timer) {
    this(t1, t2, timer, () -> {});
  }

  private OkRetransmitter(Duration t1, Duration t2, Timer timer, Runnable close) {
    this.t1 = t1.toMillis();
    this.t2 = t2.toMillis();
    this.giveUp = t1.multipliedBy(64).toMillis();
    this.timer = timer;
    this.close = close;
  }

  /** On a thread of its own, so a resend never waits for the SIP stack's threads. */
  static OkRetransmitter onOwnThread(SipSettings settings) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ipsmgw-sip-2xx");
      t.setDaemon(true);
      return t;
    });
    return new OkRetransmitter(settings.t1(), settings.t2(),
        (millis, task) -> executor.schedule(task, millis, TimeUnit.MILLISECONDS),
        executor::shutdownNow);
  }

  /** The 2xx of that chat went out once; {@code resend} sends it again. Replaces an earlier one. */
  void start(String callId, Resend resend) {
    Resending r = new Resending(callId, resend);
    Resending earlier = resending.put(callId, r);
    if (earlier != null) {
      earlier.stop();
    }
    r.next(t1, 0);
  }

  /** The ACK came, or the chat ended the dialog. */
  void stop(String callId) {
    Resending r = resending.remove(callId);
    if (r != null) {
      r.stop();
    }
  }

  boolean resending(String callId) {
    return resending.containsKey(callId);
  }

  @Override
  public void close() {
    resending.values().forEach(Resending::stop);
    resending.clear();
    close.run();
  }

  /** One 2xx being resent; its next resend is the only task it has scheduled. */
  private final class Resending {
    private final String callId;
    private final Resend resend;
    private volatile Future<?> scheduled;
    private volatile boolean stopped;

    Resending(String callId, Resend resend) {
      this.callId = callId;
      this.resend = resend;
    }

    /** Schedules the resend {@code delay} ms after {@code elapsed}, or the giving up. */
    void next(long delay, long elapsed) {
      if (elapsed + delay > giveUp) {
        scheduled = timer.after(giveUp - elapsed, this::giveUp);
      } else {
        scheduled = timer.after(delay, () -> resendThenNext(delay, elapsed + delay));
      }
      if (stopped) {
        scheduled.cancel(false);
      }
    }

    private void resendThenNext(long delay, long elapsed) {
      if (stopped) {
        return;
      }
      try (LogContext.Scope m = SipMdc.chat(callId)) {
        try {
          resend.run();
        } catch (Exception e) {
          LOG.debug("[session {}] 200 not resent: {}", callId, SipText.reason(e));
        }
      }
      next(Math.min(delay * 2, t2), elapsed);
    }

    private void giveUp() {
      if (stopped || !resending.remove(callId, this)) {
        return;
      }
      try (LogContext.Scope m = SipMdc.chat(callId)) {
        LOG.warn("[session {}] no ACK for the 200 within {} ms", callId, giveUp);
      }
    }

    void stop() {
      stopped = true;
      Future<?> f = scheduled;
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
