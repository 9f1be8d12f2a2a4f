package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipsmgw.Await;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.junit.jupiter.api.Test;

/**
 * The simulator resends like a real SMSC: a deliver_sm refused with a retry status, or left
 * unanswered, goes again after the resend delay on the next bound ESME, round robin, until one
 * accepts it; one refused for good is not resent; with resending off nothing is sent twice.
 * Real jsmpp ESMEs over loopback.
 */
class SmscSimulatorResendIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** An ESME that answers each deliver_sm with {@code status} (0 = accepts) and records it. */
  private static final class Esme implements MessageReceiverListener, AutoCloseable {
    final SMPPSession session = new SMPPSession();
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status;

    private final Runnable onEach;

    Esme(int port, int status) throws Exception {
      this(port, status, 3, () -> {});
    }

    /** @param onEach runs in the PDU handler before the answer (the test holds answers there) */
    Esme(int port, int status, int handlers, Runnable onEach) throws Exception {
      this.status = new AtomicInteger(status);
      this.onEach = onEach;
      session.setPduProcessorDegree(handlers);
      session.setMessageReceiverListener(this);
      session.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, "it", "",
          "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm sm) throws ProcessRequestException {
      received.add(new String(sm.getShortMessage(), java.nio.charset.StandardCharsets.US_ASCII));
      onEach.run();
      int s = status.get();
      if (s != 0) {
        throw new ProcessRequestException("refused by the test", s);
      }
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alert) {}

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) {
      return null;
    }

    @Override
    public void close() {
      session.unbindAndClose();
    }
  }

  /**
   * As a real SMSC: no more deliver_sm outstanding on one bind than its window. FailoverIT saw
   * why it matters: after an outage the simulator sent hundreds of receipts at once, the node's
   * jsmpp receive queue overflowed and answered ESME_RTHROTTLED, and receipts came 20 s late.
   */
  @Test
  void noMoreDeliverSmAwaitTheirResponseOnOneBindThanTheWindow() throws Exception {
    java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults().withWindow(3));
        Esme esme = new Esme(smsc.port(), 0, 10, () -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          gate.acquireUninterruptibly();
          inFlight.decrementAndGet();
        })) {
      Await.until(() -> smsc.boundSessions() == 1, WAIT, "ESME bound");
      java.util.concurrent.ExecutorService senders =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<List<Integer>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String text = "burst " + i;
          sent.add(senders.submit(() -> smsc.injectMo("+447700900777", "+447700900555", text)));
        }
        Await.until(() -> inFlight.get() == 3, WAIT, "the window's three deliver_sm at the ESME");
        // The ESME could take all eight at once; one slot freed lets exactly one more in.
        gate.release();
        Await.until(() -> esme.received.size() == 4, WAIT, "a fourth after one was answered");
        gate.release(7);
        for (var f : sent) {
          assertEquals(List.of(0), f.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals(8, esme.received.size(), "every deliver_sm delivered");
        assertEquals(3, most.get(), "never more outstanding than the window");
      } finally {
        senders.shutdownNow();
      }
    }
  }

  @Test
  void refusedWithARetryStatusIsResentOnTheNextBindUntilAccepted() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults()
        .withResend(Duration.ofMillis(100)));
        Esme refusing = new Esme(smsc.port(), SMPPConstant.STAT_ESME_RX_T_APPN)) {
      Await.until(() -> smsc.boundSessions() == 1, WAIT, "first ESME bound");
      assertEquals(List.of(SMPPConstant.STAT_ESME_RX_T_APPN),
          smsc.injectMo("+447700900777", "+447700900555", "resend me"));
      assertNull(smsc.deliveries().get(0).finalStatus(), "still being resent");
      try (Esme accepting = new Esme(smsc.port(), 0)) {
        Await.until(() -> smsc.deliveries().get(0).accepted(), WAIT, "accepted on a bind");
        assertEquals(List.of("resend me"), accepting.received, "accepted once, by the other bind");
        SmscDelivery d = smsc.deliveries().get(0);
        assertEquals("mo", d.kind());
        assertEquals(refusing.received.size() + 1, d.attempts(), "every attempt counted");
        assertEquals(d.attempts() - 1, smsc.resends());
        assertTrue(refusing.received.size() >= 1);
      }
    }
  }

  @Test
  void aPermanentRefusalIsNotResentAndWithResendOffNothingIs() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults()
        .withResend(Duration.ofMillis(50)));
        Esme esme = new Esme(smsc.port(), SMPPConstant.STAT_ESME_RX_P_APPN)) {
      Await.until(() -> smsc.boundSessions() == 1, WAIT, "ESME bound");
      assertEquals(List.of(SMPPConstant.STAT_ESME_RX_P_APPN),
          smsc.injectMo("+447700900777", "+447700900555", "never"));
      // A later, accepted MO is the marker: once it is in, the first was not resent before it.
      esme.status.set(0);
      smsc.setResend(Duration.ZERO);
      assertEquals(List.of(0), smsc.injectMo("+447700900777", "+447700900555", "marker"));
      esme.status.set(SMPPConstant.STAT_ESME_RX_T_APPN);
      assertEquals(List.of(SMPPConstant.STAT_ESME_RX_T_APPN),
          smsc.injectMo("+447700900777", "+447700900555", "not resent when off"));
      esme.status.set(0);
      assertEquals(List.of(0), smsc.injectMo("+447700900777", "+447700900555", "marker 2"));
      assertEquals(List.of("never", "marker", "not resent when off", "marker 2"), esme.received);
      List<SmscDelivery> all = smsc.deliveries();
      assertEquals(SMPPConstant.STAT_ESME_RX_P_APPN, all.get(0).finalStatus());
      assertEquals(SMPPConstant.STAT_ESME_RX_T_APPN, all.get(2).finalStatus());
      assertEquals(0, smsc.resends());
    }
  }

  @Test
  void receiptResendResendsUnacceptedReceiptsButLeavesMoToTheCaller() throws Exception {
    try (SmscSimulator smsc = SmscSimulator.start(SimulatorOptions.defaults()
        .withReceipts(Duration.ofMillis(10), 1.0));
        Esme esme = new Esme(smsc.port(), SMPPConstant.STAT_ESME_RX_T_APPN)) {
      smsc.setReceiptResend(Duration.ofMillis(100));
      Await.until(() -> smsc.boundSessions() == 1, WAIT, "ESME bound");
      assertEquals(List.of(SMPPConstant.STAT_ESME_RX_T_APPN),
          smsc.injectMo("+447700900777", "+447700900555", "mo once"));
      esme.session.submitShortMessage("", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900555", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900777", new org.jsmpp.bean.ESMClass(), (byte) 0,
          (byte) 1, null, null, new org.jsmpp.bean.RegisteredDelivery(1), (byte) 0,
          org.jsmpp.bean.DataCodings.ZERO, (byte) 0,
          "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      Await.until(() -> esme.received.stream().filter(r -> r.startsWith("id:")).count() >= 2,
          WAIT, "the refused receipt sent again");
      esme.status.set(0);
      Await.until(() -> smsc.deliveries().stream().anyMatch(d -> d.kind().equals("receipt")
          && d.accepted()), WAIT, "the receipt accepted once the ESME takes it");
      // The marker MO: once it is in, the refused MO was not resent before it.
      assertEquals(List.of(0), smsc.injectMo("+447700900777", "+447700900555", "marker"));
      assertEquals(1, esme.received.stream().filter("mo once"::equals).count(), esme.received
          .toString());
      assertEquals(SMPPConstant.STAT_ESME_RX_T_APPN, smsc.deliveries().get(0).finalStatus(),
          "the MO is settled as refused: its resend is the caller's");
    }
  }
}
