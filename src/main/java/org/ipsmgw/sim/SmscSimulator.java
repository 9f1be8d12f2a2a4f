package org.ipsmgw.sim;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.sms.ConcatenationMode;
import org.ipsmgw.sms.EncodedMessage;
import org.ipsmgw.sms.Segment;
import org.ipsmgw.sms.SmsTextEncoder;
import org.ipsmgw.subscriber.Msisdn;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small SMSC on jsmpp for the demo, the tests and the load tests: accepts transceiver binds,
 * answers submit_sm with message ids (or ESME_RTHROTTLED above a rate), sends delivery receipts
 * after a delay with a configurable share delivered, and plays the SMS user by injecting MO
 * messages (long ones segmented with a UDH). It records every submit_sm it received.
 */
public final class SmscSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
  private static final DateTimeFormatter RECEIPT_DATE =
      DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final int ESM_RECEIPT = 0x04;
  private static final int ESM_UDHI = 0x40;
  private static final int STATE_DELIVERED = 2;
  private static final int STATE_UNDELIVERABLE = 5;
  private static final long BIND_WAIT_MS = 5_000;
  private static final long RESPONSE_TIMEOUT_MS = 10_000;

  private final SimulatorOptions options;
  private final ServerSocket socket;
  private final SMPPServerSessionListener listener;
  private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
  private final Map<SMPPServerSession, String> systemIds = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<ReceivedSubmit> submits = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, ReceivedSubmit> byId = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "smsc-sim");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "smsc-sim-receipts");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong nextId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
  private final AtomicLong receiptCount = new AtomicLong();
  private final AtomicLong moReference = new AtomicLong(ThreadLocalRandom.current().nextInt(256));
  private final Clock clock = Clock.systemUTC();
  private volatile int throttlePerSecond;
  private volatile boolean hexIds;
  private volatile String refusedDestination = "";
  private volatile int refusalStatus;
  private volatile double deliveredRatio;
  private volatile Duration receiptDelay;
  private volatile boolean running = true;
  private long rateSecond;
  private int rateCount;

  private SmscSimulator(SimulatorOptions options) throws IOException {
    this.options = options;
    this.throttlePerSecond = options.throttlePerSecond();
    this.hexIds = options.hexIds();
    this.deliveredRatio = options.deliveredRatio();
    this.receiptDelay = options.receiptDelay();
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()));
    this.listener = new SMPPServerSessionListener(socket.getLocalPort(), new BoundSocket(socket));
    listener.setMessageReceiverListener(new Receiver());
    listener.setResponseDeliveryListener(new ResponseSent());
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
    synchronized (submits) {
      return List.copyOf(submits);
    }
  }

  /** Transceiver binds currently up. */
  public int boundSessions() {
    return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
  }

  public void setThrottle(int perSecond) {
    this.throttlePerSecond = perSecond;
  }

  /** Hexadecimal message ids from now on, with receipts quoting them in decimal text only. */
  public void setHexIds(boolean hex) {
    this.hexIds = hex;
  }

  /** submit_sm to this number (E.164, with or without '+') are refused with {@code status}. */
  public void refuse(String destination, int status) {
    this.refusedDestination = digits(destination);
    this.refusalStatus = status;
  }

  public void setReceipts(Duration delay, double ratio) {
    this.receiptDelay = delay;
    this.deliveredRatio = ratio;
  }

  /**
   * Sends an MO text from {@code from} to {@code to}, segmented (UDH, 8-bit reference) when
   * long; returns the deliver_sm_resp command_status of each part (-1: no response).
   */
  public List<Integer> injectMo(String from, String to, String text) {
    EncodedMessage message = new SmsTextEncoder(ConcatenationMode.UDH_8BIT, false)
        .encode(text, (int) moReference.incrementAndGet());
    List<MoPdu> parts = new ArrayList<>();
    for (Segment s : message.segments()) {
      parts.add(new MoPdu(s.shortMessage(), message.udhIndicator() ? ESM_UDHI : 0,
          message.encoding().dataCoding(), new OptionalParameter[0]));
    }
    return injectRaw(from, to, parts);
  }

  /** One deliver_sm as the tests want it on the wire. */
  public record MoPdu(byte[] shortMessage, int esmClass, int dataCoding,
      OptionalParameter[] tlvs) {}

  /** Sends the given deliver_sm PDUs in order; returns each one's command_status (-1: none). */
  public List<Integer> injectRaw(String from, String to, List<MoPdu> pdus) {
    List<Integer> statuses = new ArrayList<>();
    for (MoPdu pdu : pdus) {
      statuses.add(deliver(from, to, pdu));
    }
    return statuses;
  }

  private int deliver(String from, String to, MoPdu pdu) {
    SMPPServerSession session = anyBound();
    if (session == null) {
      LOG.warn("SMSC simulator: no bound ESME to deliver an MO to");
      return -1;
    }
    try {
      session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
          digits(from), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, digits(to),
          new ESMClass(pdu.esmClass()), (byte) 0, (byte) 0, new RegisteredDelivery(0),
          DataCodings.newInstance((byte) pdu.dataCoding()), pdu.shortMessage(), pdu.tlvs());
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    } catch (Exception e) {
      LOG.warn("SMSC simulator: deliver_sm failed: {}", e.toString());
      return -1;
    }
  }

  private static String digits(String number) {
    return Msisdn.normalise(number).map(Msisdn::digits).orElse(number);
  }

  private SMPPServerSession anyBound() {
    List<SMPPServerSession> bound = sessions.stream()
        .filter(s -> s.getSessionState().isBound()).toList();
    return bound.isEmpty() ? null : bound.get(ThreadLocalRandom.current().nextInt(bound.size()));
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
      systemIds.put(session, bind.getSystemId());
      sessions.add(session);
      LOG.info("SMSC simulator: {} bound as {}", bind.getSystemId(), bind.getBindType());
    } catch (Exception e) {
      LOG.info("SMSC simulator: no bind on a new connection: {}", e.getMessage());
      session.close();
    }
  }

  private synchronized boolean overRate() {
    long second = clock.millis() / 1000;
    if (second != rateSecond) {
      rateSecond = second;
      rateCount = 0;
    }
    rateCount++;
    return throttlePerSecond > 0 && rateCount > throttlePerSecond;
  }

  private String newId() {
    long id = nextId.incrementAndGet();
    return hexIds ? Long.toHexString(id) : Long.toString(id);
  }

  private final class Receiver implements ServerMessageReceiverListener {
    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source)
        throws ProcessRequestException {
      boolean throttled = overRate() || throttledByControl(sm.getDestAddress());
      boolean refused = !throttled && sm.getDestAddress().equals(refusedDestination);
      int status = throttled ? SMPPConstant.STAT_ESME_RTHROTTLED : refused ? refusalStatus : 0;
      String id = status != 0 ? null : newId();
      Map<Short, byte[]> tlvs = new HashMap<>();
      if (sm.getOptionalParameters() != null) {
        for (OptionalParameter p : sm.getOptionalParameters()) {
          byte[] raw = p.serialize();
          tlvs.put(p.tag, java.util.Arrays.copyOfRange(raw, 4, raw.length));
        }
      }
      ReceivedSubmit received = new ReceivedSubmit(systemIds.getOrDefault(source, "?"),
          sm.getSourceAddr(), sm.getSourceAddrTon(), sm.getDestAddress(), sm.getEsmClass() & 0xFF,
          sm.getDataCoding() & 0xFF, sm.getRegisteredDelivery() & 0xFF,
          sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage(), Map.copyOf(tlvs), id,
          status, clock.instant());
      submits.add(received);
      if (status != 0) {
        throw new ProcessRequestException(throttled ? "throttled" : "refused", status);
      }
      byId.put(id, received);
      dropBindIfAsked(sm.getDestAddress(), source);
      try {
        return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
      } catch (PDUStringException e) {
        throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
      }
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelSm(CancelSm sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm sm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm sm,
        SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm sm, Session source) throws ProcessRequestException {
      throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }
  }

  /** Receipts leave only after the submit_sm_resp did, as at a real SMSC. */
  private final class ResponseSent implements ServerResponseDeliveryListener {
    @Override
    public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
      ReceivedSubmit submit = byId.get(result.getMessageId());
      if (submit == null) {
        return;
      }
      long n = receiptCount.getAndIncrement();
      // Deterministic share: message n is delivered when the running total crosses an integer.
      boolean delivered = Math.floor((n + 1) * deliveredRatio) > Math.floor(n * deliveredRatio);
      int wanted = submit.registeredDelivery() & 0x03;
      if (wanted == 0x01 || (wanted == 0x02 && !delivered)) {
        scheduler.schedule(() -> sendReceipt(submit, delivered, source),
            receiptDelay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onSubmitSmRespError(SubmitSmResult result, Exception e, SMPPServerSession source) {}

    @Override
    public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession source) {}

    @Override
    public void onSubmitMultiRespError(SubmitMultiResult result, Exception e,
        SMPPServerSession source) {}
  }

  private void sendReceipt(ReceivedSubmit submit, boolean delivered, SMPPServerSession preferred) {
    SMPPServerSession session = preferred.getSessionState().isBound() ? preferred : anyBound();
    if (session == null) {
      return;
    }
    String date = RECEIPT_DATE.format(submit.at());
    // With hex ids the receipt quotes the id in decimal and has no TLVs, as some SMSCs do.
    boolean hex = hexIds;
    String textId = hex ? new BigInteger(submit.messageId(), 16).toString()
        : submit.messageId();
    String text = "id:" + textId + " sub:001 dlvrd:" + (delivered ? "001" : "000")
        + " submit date:" + date + " done date:" + RECEIPT_DATE.format(clock.instant())
        + " stat:" + (delivered ? "DELIVRD" : "UNDELIV") + " err:" + (delivered ? "000" : "001")
        + " text:";
    OptionalParameter[] tlvs = hex ? new OptionalParameter[0]
        : new OptionalParameter[] {
            new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(),
                submit.messageId()),
            new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE,
                (byte) (delivered ? STATE_DELIVERED : STATE_UNDELIVERABLE))};
    try {
      session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
          submit.destination(), TypeOfNumber.valueOf((byte) submit.sourceTon()),
          NumberingPlanIndicator.UNKNOWN, submit.source(), new ESMClass(ESM_RECEIPT), (byte) 0,
          (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO,
          text.getBytes(StandardCharsets.ISO_8859_1), tlvs);
    } catch (Exception e) {
      LOG.warn("SMSC simulator: receipt for {} not delivered: {}", submit.messageId(),
          e.toString());
    }
  }

  /**
   * The next {@code count} submit_sm to {@code destination} (E.164, with or without '+') are
   * answered ESME_RTHROTTLED; {@link Integer#MAX_VALUE} until called again with 0.
   */
  public void throttle(String destination, int count) {
    if (count <= 0) {
      throttledDestinations.remove(digits(destination));
    } else {
      throttledDestinations.put(digits(destination), count);
    }
  }

  /**
   * The next submit_sm to {@code destination} is accepted (recorded with a message id) but its
   * bind is closed before the submit_sm_resp leaves, as when a link drops mid-transaction: the
   * ESME sees no response and must submit again.
   */
  public void dropBindOnNextSubmit(String destination) {
    dropBindFor.add(digits(destination));
  }

  private final Map<String, Integer> throttledDestinations =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> dropBindFor =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private boolean throttledByControl(String destination) {
    boolean[] throttled = {false};
    throttledDestinations.computeIfPresent(destination, (d, left) -> {
      throttled[0] = true;
      return left == Integer.MAX_VALUE ? left : left > 1 ? left - 1 : null;
    });
    return throttled[0];
  }

  private void dropBindIfAsked(String destination, SMPPServerSession session) {
    if (dropBindFor.remove(destination)) {
      LOG.info("SMSC simulator: dropping the bind of {} before answering a submit_sm",
          systemIds.getOrDefault(session, "?"));
      // Closed here, on the PDU's own thread, so the response that follows finds no socket.
      session.close();
    }
  }

  /** Unbinds every ESME and stops listening. */
  @Override
  public void close() {
    running = false;
    for (SMPPServerSession s : sessions) {
      s.unbindAndClose();
    }
    sessions.clear();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing: nothing left to tell anyone.
    }
    scheduler.shutdownNow();
    threads.shutdownNow();
    LOG.info("SMSC simulator on port {} stopped", socket.getLocalPort());
  }

  /** jsmpp listens on every interface by itself; this keeps it on the address asked for. */
  private record BoundSocket(ServerSocket socket) implements ServerConnectionFactory {
    @Override
    public ServerConnection listen(int port) {
      return new ServerSocketConnection(socket);
    }

    @Override
    public ServerConnection listen(int port, int timeout) throws IOException {
      socket.setSoTimeout(timeout);
      return new ServerSocketConnection(socket);
    }

    @Override
    public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
      return listen(port, timeout);
    }
  }
}
