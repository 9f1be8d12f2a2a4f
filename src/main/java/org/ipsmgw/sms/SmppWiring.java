package org.ipsmgw.sms;

import java.util.concurrent.CompletionStage;
import org.ipsmgw.subscriber.MoAck;

/**
 * Where the SMPP edge hands what it learns: submission results and receipts to chat sessions, MO
 * parts to the sender's SmsSubscriber. The node wires the sharded entities; tests may record.
 */
public interface SmppWiring extends SubmitOutcome {
  /** Completes once the part is durable (or with a reason the SMSC should retry). */
  CompletionStage<MoAck> mo(IncomingMo mo);

  /**
   * A final receipt matched to the session that submitted its message; completes once the
   * session persisted it (or had nothing to record), fails when it did not answer in time.
   */
  CompletionStage<?> receipt(SmscMessageIndex.Entry entry, DeliveryReceipt receipt,
      java.time.Duration timeout);
}
