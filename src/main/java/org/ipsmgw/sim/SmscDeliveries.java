package org.ipsmgw.sim;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.SMPPServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends deliver_sm as an SMSC does: one refused with a retry status (ESME_RX_T_APPN,
 * ESME_RTHROTTLED, ESME_RMSGQFUL), not answered in time, or whose bind dropped is sent again
 * after the resend delay, each time on the next bound ESME (round robin, so other nodes' binds
 * get it), until it is accepted or refused for good, or {@link #VALIDITY} has passed. Counts the
 * resends and the outcome of each deliver_sm for the tests and {@code /status}. At most the
 * window's deliver_sm await their response on one bind; the next one waits for a free slot.
 */
final class SmscDeliveries {
  /** A deliver_sm is given up after this long, as an SMSC's validity period ends it. */
  static final Duration VALIDITY = Duration.ofMinutes(10);

  /** One deliver_sm's fields. */
  record Pdu(String kind, TypeOfNumber sourceTon, String from, TypeOfNumber destTon,
      NumberingPlanIndicator destNpi, String to, int esmClass, int dataCoding,
      byte[] shortMessage, OptionalParameter[] tlvs) {}

  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
  /** No deliver_sm_resp came: the response timed out, the bind dropped, or none was bound. */
  static final int NO_RESPONSE = -1;

  private final SmscBinds binds;
  private final ScheduledExecutorService scheduler;
  private final Executor senders;
  private volatile Duration resendAfter;
  /** Receipts only (zero: as {@link #resendAfter}); MO resends stay with the caller. */
  private volatile Duration receiptResendAfter = Duration.ZERO;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong resends = new AtomicLong();
  private final Map<Long, SmscDelivery> outcomes = new ConcurrentHashMap<>();
  private final int window;
  private final Map<SMPPServerSession, java.util.concurrent.Semaphore> windows =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  SmscDeliveries(SmscBinds binds, ScheduledExecutorService scheduler, Executor senders,
      Duration resendAfter, int window) {
    this.window = window;
    this.binds = binds;
    this.scheduler = scheduler;
    this.senders = senders;
    this.resendAfter = resendAfter;
  }

  void setResend(Duration after) {
    this.resendAfter = after;
  }

  void setReceiptResend(Duration after) {
    this.receiptResendAfter = after;
  }

  /**
   * Sends {@code pdu} now, on {@code preferred} when it is bound, else the next bound ESME;
   * returns the first attempt's deliver_sm_resp status ({@link #NO_RESPONSE}: none). Resends,
   * when on, happen in the background.
   */
  int deliver(Pdu pdu, SMPPServerSession preferred) {
    return deliverTimed(pdu, preferred).status();
  }

  /**
   * One first attempt: its deliver_sm_resp status and when the deliver_sm left (once a window
   * slot was free) and its response came, in epoch milliseconds, so the time is the ESME's alone.
   */
  record Attempt(int status, long sentMillis, long answeredMillis) {}

  /** As {@link #deliver}, with the first attempt's times. */
  Attempt deliverTimed(Pdu pdu, SMPPServerSession preferred) {
    long id = ids.incrementAndGet();
    long until = System.nanoTime() + VALIDITY.toNanos();
    SMPPServerSession session = preferred != null && preferred.getSessionState().isBound()
        ? preferred : binds.nextBound();
    Attempt a = attemptTimed(pdu, session);
    settle(id, pdu, 1, a.status(), until);
    return a;
  }

  private void resend(long id, Pdu pdu, int attempts, long until) {
    resends.incrementAndGet();
    int status = attempt(pdu, binds.nextBound());
    settle(id, pdu, attempts, status, until);
  }

  private void settle(long id, Pdu pdu, int attempts, int status, long until) {
    Duration receipts = receiptResendAfter;
    Duration after = pdu.kind().equals("receipt") && !receipts.isZero() ? receipts : resendAfter;
    boolean again = retryable(status) && !after.isZero() && System.nanoTime() < until;
    outcomes.put(id, new SmscDelivery(id, pdu.kind(), pdu.from(), pdu.to(), attempts,
        again ? null : status));
    if (!again) {
      return;
    }
    try {
      scheduler.schedule(() -> senders.execute(() -> resend(id, pdu, attempts + 1, until)),
          after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The simulator is stopping: what is not yet accepted stays so.
    }
  }

  private static boolean retryable(int status) {
    return status == NO_RESPONSE || status == SMPPConstant.STAT_ESME_RX_T_APPN
        || status == SMPPConstant.STAT_ESME_RTHROTTLED || status == SMPPConstant.STAT_ESME_RMSGQFUL;
  }

  private int attempt(Pdu pdu, SMPPServerSession session) {
    return attemptTimed(pdu, session).status();
  }

  private Attempt attemptTimed(Pdu pdu, SMPPServerSession session) {
    if (session == null) {
      LOG.warn("SMSC simulator: no bound ESME to deliver {} to", pdu.kind());
      long now = System.currentTimeMillis();
      return new Attempt(NO_RESPONSE, now, now);
    }
    java.util.concurrent.Semaphore slots = windows.computeIfAbsent(session,
        s -> new java.util.concurrent.Semaphore(window));
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      long now = System.currentTimeMillis();
      return new Attempt(NO_RESPONSE, now, now);
    }
    try {
      long sent = System.currentTimeMillis();
      int status = send(pdu, session);
      return new Attempt(status, sent, System.currentTimeMillis());
    } finally {
      slots.release();
    }
  }

  private static int send(Pdu pdu, SMPPServerSession session) {
    try {
      session.deliverShortMessage("", pdu.sourceTon(), NumberingPlanIndicator.ISDN, pdu.from(),
          pdu.destTon(), pdu.destNpi(), pdu.to(), new ESMClass(pdu.esmClass()), (byte) 0,
          (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance((byte) pdu.dataCoding()),
          pdu.shortMessage(), pdu.tlvs());
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    } catch (Exception e) {
      LOG.warn("SMSC simulator: deliver_sm ({}) failed: {}", pdu.kind(), e.toString());
      return NO_RESPONSE;
    }
  }

  /** Every deliver_sm sent so far, in the order they were first sent. */
  List<SmscDelivery> all() {
    return outcomes.values().stream().sorted(Comparator.comparingLong(SmscDelivery::id))
        .toList();
  }

  long resends() {
    return resends.get();
  }
}
