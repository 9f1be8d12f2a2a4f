package org.ipsmgw.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.RandomIds;
import org.ipsmgw.sms.ConcatenationMode;
import org.ipsmgw.sms.EncodedMessage;
import org.ipsmgw.sms.Segment;
import org.ipsmgw.sms.SmsTextEncoder;
import org.ipsmgw.subscriber.Msisdn;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small SMSC on jsmpp for the demo, the tests and the load tests: accepts transceiver binds,
 * answers submit_sm with message ids (or ESME_RTHROTTLED above a rate) through
 * {@link SubmitReceiver}, sends delivery receipts through {@link ReceiptSender}, and plays the
 * SMS user by injecting MO messages (long ones segmented with a UDH). It records every submit_sm
 * it received.
 */
public final class SmscSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
  private static final int ESM_UDHI = 0x40;
  private static final long BIND_WAIT_MS = 5_000;
  private static final long RESPONSE_TIMEOUT_MS = 10_000;

  private final SimulatorOptions options;
  private final ServerSocket socket;
  private final SMPPServerSessionListener listener;
  private final SmscBinds binds = new SmscBinds();
  private final SubmitLog log;
  private final SubmitRules rules;
  private final ReceiptSender receipts;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> daemon(r, "smsc-sim"));
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "smsc-sim-receipts"));
  private final AtomicLong moReference = new AtomicLong(RandomIds.below(256));
  private final SmscDeliveries deliveries;
  private final MoBatches moBatches;
  private volatile boolean running = true;

  private SmscSimulator(SimulatorOptions options) throws IOException {
    Clock clock = Clock.systemUTC();
    this.options = options;
    this.log = new SubmitLog(options.hexIds());
    this.rules = new SubmitRules(options.throttlePerSecond(), clock);
    this.deliveries = new SmscDeliveries(binds, scheduler, threads, options.resendAfter(),
        options.window());
    this.receipts = new ReceiptSender(options, log, deliveries, scheduler, threads, clock);
    this.moBatches = new MoBatches(this::injectMoTimed, options.window());
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()));
    this.listener = new SMPPServerSessionListener(socket.getLocalPort(),
        new BoundServerSocket(socket));
    listener.setMessageReceiverListener(new SubmitReceiver(rules, log, binds, clock,
        () -> running));
    listener.setResponseDeliveryListener(receipts);
    threads.execute(this::acceptLoop);
    LOG.info("SMSC simulator listening on {}:{}", options.host(), port());
  }

  /** Starts a simulator; it listens until {@link #close()}. */
  public static SmscSimulator start(SimulatorOptions options) throws IOException {
    return new SmscSimulator(options);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Every submit_sm received so far, in arrival order. */
  public List<ReceivedSubmit> submits() {
    return log.all();
  }

  /** The submits from the {@code first}-th on, in arrival order. */
  public List<ReceivedSubmit> submitsFrom(int first) {
    return log.from(first);
  }

  /** Transceiver binds currently up. */
  public int boundSessions() {
    return binds.bound();
  }

  public void setThrottle(int perSecond) {
    rules.setThrottle(perSecond);
  }

  /** Hexadecimal message ids from now on, with receipts quoting them in decimal text only. */
  public void setHexIds(boolean hex) {
    log.setHexIds(hex);
  }

  /** submit_sm to this number (E.164, with or without '+') are refused with {@code status}. */
  public void refuse(String destination, int status) {
    rules.refuse(digits(destination), status);
  }

  public void setReceipts(Duration delay, double ratio) {
    receipts.setReceipts(delay, ratio);
  }

  /**
   * The next {@code count} submit_sm to {@code destination} (E.164, with or without '+') are
   * answered ESME_RTHROTTLED; {@link Integer#MAX_VALUE} until called again with 0.
   */
  public void throttle(String destination, int count) {
    rules.throttle(digits(destination), count);
  }

  /**
   * The next submit_sm to {@code destination} is accepted (recorded with a message id) but its
   * bind is closed before the submit_sm_resp leaves, as when a link drops mid-transaction: the
   * ESME sees no response and must submit again.
   */
  public void dropBindOnNextSubmit(String destination) {
    rules.dropBindOnNextSubmit(digits(destination));
  }

  /**
   * Sends an MO text from {@code from} to {@code to}, segmented (UDH, 8-bit reference) when
   * long; returns the deliver_sm_resp command_status of each part (-1: no response).
   */
  public List<Integer> injectMo(String from, String to, String text) {
    return injectRaw(from, to, moParts(text));
  }

  /** One deliver_sm as the tests want it on the wire. */
  public record MoPdu(byte[] shortMessage, int esmClass, int dataCoding,
      OptionalParameter[] tlvs) {}

  /** Sends the given deliver_sm PDUs in order; returns each one's command_status (-1: none). */
  public List<Integer> injectRaw(String from, String to, List<MoPdu> pdus) {
    return injectTimed(from, to, pdus).statuses();
  }

  /**
   * An MO's outcome: each part's deliver_sm_resp status, when its first part left and when its
   * last part's response came (epoch milliseconds).
   */
  public record MoOutcome(List<Integer> statuses, long sentMillis, long answeredMillis) {}

  /** An MO text segmented as {@link #injectMo} does, with its times. */
  MoOutcome injectMoTimed(String from, String to, String text) {
    return injectTimed(from, to, moParts(text));
  }

  private List<MoPdu> moParts(String text) {
    EncodedMessage message = new SmsTextEncoder(ConcatenationMode.UDH_8BIT, false)
        .encode(text, (int) moReference.incrementAndGet());
    List<MoPdu> parts = new ArrayList<>();
    for (Segment s : message.segments()) {
      parts.add(new MoPdu(s.shortMessage(), message.udhIndicator() ? ESM_UDHI : 0,
          message.encoding().dataCoding(), new OptionalParameter[0]));
    }
    return parts;
  }

  private MoOutcome injectTimed(String from, String to, List<MoPdu> pdus) {
    List<Integer> statuses = new ArrayList<>();
    long sent = -1;
    long answered = -1;
    for (MoPdu pdu : pdus) {
      SmscDeliveries.Attempt a = deliveries.deliverTimed(new SmscDeliveries.Pdu("mo",
          TypeOfNumber.INTERNATIONAL, digits(from), TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, digits(to), pdu.esmClass(), pdu.dataCoding(),
          pdu.shortMessage(), pdu.tlvs()), binds.anyBound());
      statuses.add(a.status());
      sent = sent < 0 ? a.sentMillis() : sent;
      answered = a.answeredMillis();
    }
    return new MoOutcome(statuses, sent, answered);
  }

  /**
   * Queues MO texts to be sent in the background, each (sender, recipient) pair's in the given
   * order and one at a time, different pairs side by side (within the bind's window); returns
   * the first one's id (the others follow, numbered in order). Their outcomes are read with
   * {@link #moResultsFrom}.
   */
  public long injectMoBatch(List<MoBatches.Mo> batch) {
    return moBatches.submit(batch);
  }

  /**
   * The outcomes of queued MO from the {@code first}-th that completed on (in completion order),
   * waiting up to {@code waitMillis} for one when there is none yet.
   */
  public List<MoBatches.Result> moResultsFrom(int first, long waitMillis)
      throws InterruptedException {
    return moBatches.resultsFrom(first, waitMillis);
  }

  /**
   * From now on, a deliver_sm refused with a retry status, unanswered, or whose bind dropped is
   * sent again {@code after} later, on the next bound ESME; zero = never (the default).
   */
  public void setResend(Duration after) {
    deliveries.setResend(after);
  }

  /**
   * From now on, a receipt refused with a retry status, unanswered, or whose bind dropped is
   * sent again {@code after} later, whatever {@link #setResend} says for MO (a test that
   * resends its MO itself, as the SMSC would, keeps the receipts an SMSC resends); zero = as
   * {@link #setResend}.
   */
  public void setReceiptResend(Duration after) {
    deliveries.setReceiptResend(after);
  }

  /** Every deliver_sm (MO part or receipt) sent so far with its attempts and final outcome. */
  public List<SmscDelivery> deliveries() {
    return deliveries.all();
  }

  /** How many times a deliver_sm was sent again. */
  public long resends() {
    return deliveries.resends();
  }

  /** Every submit_sm_resp leaves this much later (a slow SMSC); zero = at once. */
  public void setSubmitDelay(Duration delay) {
    rules.setSubmitDelay(delay);
  }

  private static String digits(String number) {
    return Msisdn.normalise(number).map(Msisdn::digits).orElse(number);
  }

  private void acceptLoop() {
    while (running) {
      try {
        SMPPServerSession session = listener.accept();
        threads.execute(() -> awaitBind(session));
      } catch (java.net.SocketTimeoutException e) {
        // Only a chance to notice close(); keep listening.
      } catch (IOException e) {
        if (running) {
          LOG.warn("SMSC simulator: accept failed: {}", e.getMessage());
        }
      }
    }
  }

  private void awaitBind(SMPPServerSession session) {
    try {
      BindRequest bind = session.waitForBind(BIND_WAIT_MS);
      if (!options.password().isEmpty() && !options.password().equals(bind.getPassword())) {
        bind.reject(SMPPConstant.STAT_ESME_RINVPASWD);
        return;
      }
      bind.accept("smsc-sim");
      session.setTransactionTimer(RESPONSE_TIMEOUT_MS);
      binds.add(session, bind.getSystemId());
      LOG.info("SMSC simulator: {} bound as {}", bind.getSystemId(), bind.getBindType());
    } catch (Exception e) {
      LOG.info("SMSC simulator: no bind on a new connection: {}", e.getMessage());
      session.close();
    }
  }

  /** Unbinds every ESME and stops listening. */
  @Override
  public void close() {
    running = false;
    binds.unbindAll();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing: nothing left to tell anyone.
    }
    moBatches.close();
    scheduler.shutdownNow();
    threads.shutdownNow();
    LOG.info("SMSC simulator on port {} stopped", socket.getLocalPort());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
