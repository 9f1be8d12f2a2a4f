package org.ipsmgw.sms;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipsmgw.AnsweringThread;
import org.ipsmgw.PeerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each final delivery receipt to the session of its SMSC message id, and says when the
 * SMSC may be told it arrived: once the session persisted it, or once it is stored as pending.
 * A receipt can overtake the row its submit_sm_resp is about to write, here or on another node;
 * it is then stored ({@code ipsmgw_pending_receipt}) and routed by a sweep, which runs when a
 * submission's ids are indexed, after each store, and periodically on every node (a pending
 * receipt may be another node's). A pending receipt is deleted once its session persisted it, or
 * after the match window, logged.
 */
final class ReceiptRouter {
  /** The receipt is not safe yet: the SMSC is answered with a retry status. */
  static final class NotRouted extends Exception {
    NotRouted(String why) {
      super(why, null, false, false);
    }
  }

  /** Hands a matched receipt to its session; completes once the session persisted it. */
  interface Deliver {
    CompletionStage<?> apply(SmscMessageIndex.Entry entry, DeliveryReceipt receipt,
        Duration timeout);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ReceiptRouter.class);
  private static final int SWEEP_BATCH = 500;

  private final SmscMessageIndex index;
  private final Executor blocking;
  private final Duration matchWindow;
  private final Duration ackTimeout;
  private final Deliver deliver;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean sweepAgain = new AtomicBoolean();

  /**
   * @param blocking where sweeps run (they read the database)
   * @param ackTimeout how long a receipt waits for its session to persist it
   */
  ReceiptRouter(SmscMessageIndex index, Executor blocking, Duration matchWindow,
      Duration ackTimeout, Deliver deliver) {
    this.index = index;
    this.blocking = blocking;
    this.matchWindow = matchWindow;
    this.ackTimeout = ackTimeout;
    this.deliver = deliver;
  }

  /**
   * Routes a final receipt; returns once it may be acknowledged (persisted by its session, or
   * stored as pending). Blocks the calling thread (a bind's PDU thread) for at most about the
   * ack timeout plus two database round trips.
   */
  void route(DeliveryReceipt receipt) throws NotRouted {
    Optional<SmscMessageIndex.Entry> entry;
    try {
      entry = index.find(receipt.smscMessageId());
    } catch (SQLException e) {
      throw new NotRouted("index not readable: " + e.getMessage());
    }
    if (entry.isPresent()) {
      await(deliver.apply(entry.get(), receipt, ackTimeout));
      return;
    }
    try {
      index.storePending(receipt);
    } catch (SQLException e) {
      throw new NotRouted("not stored: " + e.getMessage());
    }
    LOG.info("receipt {} for SMSC id {} came before its submission was indexed; stored until it is",
        receipt.state(), PeerText.bounded(receipt.smscMessageId()));
    // Its submission may have been indexed between the look-up and the store.
    sweepSoon();
  }

  private void await(CompletionStage<?> persisted) throws NotRouted {
    try {
      persisted.toCompletableFuture().get(ackTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotRouted("node stopping");
    } catch (Exception e) {
      throw new NotRouted("not persisted by its session within " + ackTimeout.toMillis() + " ms");
    }
  }

  /** Routes the pending receipts soon, on the blocking executor; one sweep at a time. */
  void sweepSoon() {
    try {
      blocking.execute(this::sweep);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Stopping: the other nodes' sweeps route what is pending.
    }
  }

  private void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      sweepAgain.set(true);
      return;
    }
    try {
      do {
        sweepAgain.set(false);
        sweepOnce();
      } while (sweepAgain.get());
    } finally {
      sweeping.set(false);
    }
  }

  private void sweepOnce() {
    List<SmscMessageIndex.PendingReceipt> pending;
    try {
      pending = index.pending(SWEEP_BATCH);
    } catch (SQLException e) {
      LOG.warn("pending receipts not readable ({}); the next sweep tries again", e.getMessage());
      return;
    }
    for (SmscMessageIndex.PendingReceipt p : pending) {
      try {
        Optional<SmscMessageIndex.Entry> entry = index.find(p.smscId());
        if (entry.isPresent()) {
          deliver.apply(entry.get(), p.receipt(), ackTimeout).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
              remove(p);
            }
          }, AnsweringThread.RUN);
        } else if (index.now() - p.receivedMillis() > matchWindow.toMillis()) {
          LOG.warn("receipt {} for SMSC id {} matches no message after {} s; dropped", p.state(),
              PeerText.bounded(p.smscId()), matchWindow.toSeconds());
          remove(p);
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn("pending receipt for SMSC id {} not routed ({}); the next sweep tries again",
            PeerText.bounded(p.smscId()), e.getMessage());
      }
    }
  }

  private void remove(SmscMessageIndex.PendingReceipt p) {
    try {
      blocking.execute(() -> {
        try {
          index.removePending(p.smscKey());
        } catch (SQLException e) {
          // Routed again by a later sweep: the session takes a receipt twice without harm.
          LOG.warn("pending receipt for SMSC id {} not deleted: {}",
              PeerText.bounded(p.smscId()), e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Stopping: routed again by a later sweep, which the session takes without harm.
    }
  }
}
