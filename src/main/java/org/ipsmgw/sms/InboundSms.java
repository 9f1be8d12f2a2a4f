package org.ipsmgw.sms;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ipsmgw.PeerText;
import org.ipsmgw.subscriber.MoAck;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SMSC sends on a bind. An MO part is answered only after its SmsSubscriber made it
 * durable (jsmpp sends deliver_sm_resp when this method returns; a thrown ProcessRequestException
 * becomes the error status), so a crash before that makes the SMSC resend it. A final receipt
 * likewise: answered once its session persisted it, or once it is stored to wait for its
 * submission's ids ({@link ReceiptRouter}); else ESME_RX_T_APPN, and the SMSC resends it.
 */
final class InboundSms implements MessageReceiverListener {
  /** Where an MO part goes: the sender's SmsSubscriber; completes when it is durable. */
  interface MoSink extends Function<IncomingMo, CompletionStage<MoAck>> {}

  private static final Logger LOG = LoggerFactory.getLogger(InboundSms.class);
  private static final int ESM_TYPE_MASK = 0x3C;
  private static final int ESM_SMSC_RECEIPT = 0x04;
  private static final int ESM_INTERMEDIATE = 0x20;

  private final MoDecoder decoder;
  private final MoSink mo;
  private final ReceiptRouter receipts;
  private final SmscSettings settings;
  private final Clock clock;
  private final SmppMetrics metrics;

  InboundSms(SmscSettings settings, MoSink mo, ReceiptRouter receipts, Clock clock,
      SmppMetrics metrics) {
    this.metrics = metrics;
    this.decoder = new MoDecoder(settings.gsm7Packed());
    this.settings = settings;
    this.mo = mo;
    this.receipts = receipts;
    this.clock = clock;
  }

  @Override
  public void onAcceptDeliverSm(DeliverSm sm) throws ProcessRequestException {
    int type = sm.getEsmClass() & ESM_TYPE_MASK;
    if (sm.getOptionalParameter(GuardedPduReader.MALFORMED_TAG) != null) {
      onMo(sm);
    } else if (type == ESM_SMSC_RECEIPT || type == ESM_INTERMEDIATE) {
      onReceipt(sm);
    } else {
      onMo(sm);
    }
  }

  private void onMo(DeliverSm sm) throws ProcessRequestException {
    IncomingMo in;
    try {
      in = decoder.decode(sm, clock.instant());
    } catch (ProcessRequestException e) {
      LOG.warn("MO deliver_sm from '{}' refused with {}: {}", sm.getSourceAddr(),
          SmppStatus.describe(e.getErrorCode()), e.getMessage());
      metrics.mo(SmppStatus.name(e.getErrorCode()));
      throw e;
    }
    MoAck ack;
    try {
      ack = mo.apply(in).toCompletableFuture()
          .get(settings.moHandoverTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw retry(in, "node stopping");
    } catch (Exception e) {
      throw retry(in, "not persisted within " + settings.moHandoverTimeout().toMillis() + " ms");
    }
    if (!ack.accepted()) {
      throw retry(in, ack.reason());
    }
    metrics.mo("ESME_ROK");
    LOG.info("MO SMS part {}/{} from {} to {} accepted ({} chars)", in.part().seq(),
        in.part().total(), in.sender(), in.recipient(), in.part().text().length());
  }

  private ProcessRequestException retry(IncomingMo in, String why) {
    metrics.mo("ESME_RX_T_APPN");
    LOG.warn("MO SMS from {} to {} not yet durable ({}); answered ESME_RX_T_APPN so the SMSC "
        + "retries", in.sender(), in.recipient(), why);
    return new ProcessRequestException("temporarily not accepted: " + why,
        SMPPConstant.STAT_ESME_RX_T_APPN);
  }

  private void onReceipt(DeliverSm sm) throws ProcessRequestException {
    byte[] body = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
    OptionalParameter id = sm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
    OptionalParameter state = sm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
    DeliveryReceipt receipt;
    try {
      receipt = DeliveryReceiptParser.parse(new String(body, StandardCharsets.ISO_8859_1),
          id == null ? null : cString(((OptionalParameter.OctetString) id).getValue()),
          state == null ? null : ((OptionalParameter.Byte) state).getValue() & 0xFF,
          settings.receiptZone());
    } catch (IllegalArgumentException e) {
      LOG.warn("delivery receipt refused with ESME_RX_P_APPN: {}", e.getMessage());
      metrics.mo("receipt-unreadable");
      throw new ProcessRequestException("unreadable receipt: " + e.getMessage(),
          SMPPConstant.STAT_ESME_RX_P_APPN);
    }
    metrics.receipt(receipt.state());
    if (!receipt.state().isFinal()) {
      LOG.debug("receipt {} for SMSC id {} is not final; ignored", receipt.state(),
          PeerText.bounded(receipt.smscMessageId()));
      return;
    }
    try {
      receipts.route(receipt);
    } catch (ReceiptRouter.NotRouted e) {
      metrics.mo("receipt-retry");
      LOG.warn("receipt {} for SMSC id {} not yet safe ({}); answered ESME_RX_T_APPN so the SMSC "
          + "resends it", receipt.state(), PeerText.bounded(receipt.smscMessageId()),
          e.getMessage());
      throw new ProcessRequestException("temporarily not accepted: " + e.getMessage(),
          SMPPConstant.STAT_ESME_RX_T_APPN);
    }
  }

  private static String cString(byte[] value) {
    int end = 0;
    while (end < value.length && value[end] != 0) {
      end++;
    }
    return new String(value, 0, end, StandardCharsets.US_ASCII);
  }

  @Override
  public void onAcceptAlertNotification(AlertNotification alert) {
    LOG.info("alert_notification from the SMSC for {}", alert.getSourceAddr());
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
      throws ProcessRequestException {
    throw new ProcessRequestException("data_sm is not supported; use deliver_sm",
        SMPPConstant.STAT_ESME_RINVCMDID);
  }
}
