package org.ipsmgw.sms;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each final delivery receipt to the session of its SMSC message id. A receipt can overtake
 * the row its submit_sm_resp is about to write, so an unknown id is looked up again (1 s, 2 s,
 * 4 s ...) for the configured window before it is logged as unknown.
 */
final class ReceiptRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptRouter.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final SmscMessageIndex index;
  private final Executor blocking;
  private final ScheduledExecutorService scheduler;
  private final Duration matchWindow;
  private final BiConsumer<SmscMessageIndex.Entry, DeliveryReceipt> deliver;

  /** @param deliver hands a matched receipt to its session */
  ReceiptRouter(SmscMessageIndex index, Executor blocking, ScheduledExecutorService scheduler,
      Duration matchWindow, BiConsumer<SmscMessageIndex.Entry, DeliveryReceipt> deliver) {
    this.index = index;
    this.blocking = blocking;
    this.scheduler = scheduler;
    this.matchWindow = matchWindow;
    this.deliver = deliver;
  }

  void route(DeliveryReceipt receipt) {
    blocking.execute(() -> attempt(receipt, Duration.ZERO, FIRST_RETRY));
  }

  private void attempt(DeliveryReceipt receipt, Duration waited, Duration next) {
    Optional<SmscMessageIndex.Entry> entry;
    try {
      entry = index.find(receipt.smscMessageId());
    } catch (SQLException e) {
      LOG.warn("receipt for SMSC id {}: index not readable ({}); retrying",
          receipt.smscMessageId(), e.getMessage());
      entry = Optional.empty();
    }
    if (entry.isPresent()) {
      deliver.accept(entry.get(), receipt);
      return;
    }
    if (waited.compareTo(matchWindow) >= 0) {
      LOG.warn("receipt {} for SMSC id {} matches no message after {} s; dropped", receipt.state(),
          receipt.smscMessageId(), waited.toSeconds());
      return;
    }
    Duration after = waited.plus(next);
    scheduler.schedule(() -> blocking.execute(() -> attempt(receipt, after, next.multipliedBy(2))),
        next.toMillis(), TimeUnit.MILLISECONDS);
  }
}
