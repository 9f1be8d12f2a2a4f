package org.ipsmgw.sim;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery receipts, as an SMSC sends them: after the submit_sm_resp left, a delay later, only
 * when the submit asked for one, DELIVRD for a configurable share of messages and UNDELIV for
 * the rest.
 */
final class ReceiptSender implements ServerResponseDeliveryListener {
  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
  private static final DateTimeFormatter RECEIPT_DATE =
      DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final int ESM_RECEIPT = 0x04;
  private static final int STATE_DELIVERED = 2;
  private static final int STATE_UNDELIVERABLE = 5;

  private final SubmitLog log;
  private final SmscDeliveries deliveries;
  private final ScheduledExecutorService scheduler;
  private final java.util.concurrent.Executor senders;
  private final Clock clock;
  private final AtomicLong receiptCount = new AtomicLong();
  private volatile double deliveredRatio;
  private volatile Duration receiptDelay;

  ReceiptSender(SimulatorOptions options, SubmitLog log, SmscDeliveries deliveries,
      ScheduledExecutorService scheduler, java.util.concurrent.Executor senders, Clock clock) {
    this.log = log;
    this.deliveries = deliveries;
    this.scheduler = scheduler;
    this.senders = senders;
    this.clock = clock;
    this.deliveredRatio = options.deliveredRatio();
    this.receiptDelay = options.receiptDelay();
  }

  void setReceipts(Duration delay, double ratio) {
    this.receiptDelay = delay;
    this.deliveredRatio = ratio;
  }

  /** Receipts leave only after the submit_sm_resp did, as at a real SMSC. */
  @Override
  public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
    ReceivedSubmit submit = log.byId(result.getMessageId());
    if (submit == null) {
      return;
    }
    long n = receiptCount.getAndIncrement();
    // Deterministic share: message n is delivered when the running total crosses an integer.
    boolean delivered = Math.floor((n + 1) * deliveredRatio) > Math.floor(n * deliveredRatio);
    int wanted = submit.registeredDelivery() & 0x03;
    if (wanted == 0x01 || (wanted == 0x02 && !delivered)) {
      // Sent from another thread: the deliver_sm waits for its response there.
      scheduler.schedule(() -> senders.execute(() -> send(submit, delivered, source)),
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

  private void send(ReceivedSubmit submit, boolean delivered, SMPPServerSession preferred) {
    String date = RECEIPT_DATE.format(submit.at());
    // With hex ids the receipt quotes the id in decimal and has no TLVs, as some SMSCs do.
    boolean hex = log.hexIds();
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
    int status = deliveries.deliver(new SmscDeliveries.Pdu("receipt", TypeOfNumber.INTERNATIONAL,
        submit.destination(), TypeOfNumber.valueOf((byte) submit.sourceTon()),
        NumberingPlanIndicator.UNKNOWN, submit.source(), ESM_RECEIPT, 0,
        text.getBytes(StandardCharsets.ISO_8859_1), tlvs), preferred);
    if (status != 0) {
      LOG.info("SMSC simulator: receipt for {} answered {}", submit.messageId(), status);
    }
  }
}
