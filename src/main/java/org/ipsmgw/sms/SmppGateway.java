package org.ipsmgw.sms;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.ipsmgw.PeerText;
import org.ipsmgw.RandomIds;
import org.ipsmgw.admin.NodeMetrics;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.SmsPort;
import org.ipsmgw.session.SmsSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMPP edge of one node: its transceiver binds to the SMSC, the MT submissions of every chat
 * session on the node, and the MO and receipts the SMSC delivers. Blocking jsmpp calls run on
 * the edge's own threads, never on the actor's; the actor owns their lifecycle and the bind
 * state that /ready and the metrics report. The SMS of one thread (source and destination address:
 * a chat, or a pager conversation) leave one at a time, in the order their sessions submitted
 * them; other threads go on meanwhile (see {@link SubmitLanes}).
 */
public final class SmppGateway extends AbstractBehavior<SmppGateway.Command> {
  /** Messages of the gateway actor. */
  public sealed interface Command {}

  /** Opens the binds; sent once the entities the edge hands MO and receipts to are running. */
  public enum Start implements Command { INSTANCE }

  /** A session's SMS to submit. */
  public record Submit(SmsSubmission submission) implements Command {}

  /** Bind state, for /ready, metrics and tests. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(int bindsUp, int binds) {}

  /**
   * Graceful leave: take no new submission, wait up to {@code settle} for the submit_sm in flight
   * to get their responses recorded, then unbind, so the SMSC sends MO and receipts to the other
   * nodes' binds. Replies once unbound.
   */
  public record Drain(java.time.Duration settle, ActorRef<org.apache.pekko.Done> replyTo)
      implements Command {}

  private record BindChanged(int index, boolean up) implements Command {}

  /** The submission in flight on a lane is done; the lane's next one may go. */
  private record LaneFree(SmsThread thread) implements Command {}

  /** One SMS thread as the SMS user sees it: messages from one number to one number. */
  private record SmsThread(String source, String destination) {}

  private enum PruneIndex implements Command { INSTANCE }

  /** The drain's settle time is up: unbind whatever is still in flight. */
  private enum DrainSettled implements Command { INSTANCE }

  /** Every bind is closed: the drain is done. */
  private enum Unbound implements Command { INSTANCE }

  /** Routes the receipts stored while their SMSC ids were not indexed yet (any node's). */
  private enum SweepReceipts implements Command { INSTANCE }

  private static final Logger LOG = LoggerFactory.getLogger(SmppGateway.class);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  private static final Duration FIRST_INDEX_RETRY = Duration.ofMillis(500);

  private final SmscSettings settings;
  private final Supplier<OperatorPolicy> policy;
  private final SmsTextEncoder encoder;
  private final SmsBudget budget;
  private final SmscMessageIndex index;
  private final SubmitOutcome outcome;
  private final BindPool pool;
  private final List<SmscBind> binds;
  private final ExecutorService workers;
  private final ExecutorService io;
  private final ReceiptRouter receipts;
  private final ScheduledExecutorService scheduler;
  private final SmppEdgeState edgeState;
  private final SmppMetrics metrics;
  private final SubmitLanes<SmsThread, MtSubmission> lanes = new SubmitLanes<>();
  private final ActorRef<Command> self;
  private final AtomicInteger reference = new AtomicInteger((int) RandomIds.below(1L << 32));
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  /** Submissions started and not yet submitted or failed. */
  private int running;
  /** Set by Drain: nothing new is started; the drain's caller, until it is answered. */
  private boolean draining;
  private final List<ActorRef<org.apache.pekko.Done>> drainReplies = new ArrayList<>();
  private boolean unbinding;
  private boolean drained;
  /** Submissions that came (or whose turn came) while draining: never sent from this node. */
  private int held;

  /**
   * @param wiring where MO parts, receipts and submission results go (the entities, or a test)
   */
  public static Behavior<Command> create(SmscSettings settings, Supplier<OperatorPolicy> policy,
      SmscMessageIndex index, SmppWiring wiring, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(PruneIndex.INSTANCE, PRUNE_EVERY);
      timers.startTimerWithFixedDelay(SweepReceipts.INSTANCE, settings.receiptSweepInterval());
      return new SmppGateway(ctx, settings, policy, index, wiring, clock, timers);
    }));
  }

  /** The port through which chat sessions submit SMS: a message to this actor. */
  public static SmsPort port(ActorRef<Command> gateway) {
    return submission -> gateway.tell(new Submit(submission));
  }

  private SmppGateway(ActorContext<Command> ctx, SmscSettings settings,
      Supplier<OperatorPolicy> policy, SmscMessageIndex index, SmppWiring wiring, Clock clock,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.policy = policy;
    this.index = index;
    this.io = Executors.newFixedThreadPool(2, named("ipsmgw-smpp-index"));
    this.receipts = new ReceiptRouter(index, io, settings.receiptMatchWindow(),
        settings.receiptAckTimeout(), wiring::receipt);
    this.outcome = indexed(index, receipts, wiring);
    this.encoder = new SmsTextEncoder(settings.concatenation(), settings.gsm7Packed());
    this.budget = new SmsBudget(settings.concatenation(), settings.gsm7Packed(), policy);
    this.edgeState = SmppEdgeState.get(ctx.getSystem());
    // One thread per window slot (a slot is one blocking submit_sm waiting for its response),
    // and as many again for submissions whose SMSC ids are being committed to the index: that
    // wait holds no slot, and with a commit that reaches the file each time it held the window
    // half idle.
    this.workers = Executors.newFixedThreadPool(2 * settings.binds() * settings.window(),
        named("ipsmgw-smpp-submit"));
    this.scheduler = Executors.newScheduledThreadPool(2, named("ipsmgw-smpp-timer"));
    this.metrics = new SmppMetrics(NodeMetrics.get(ctx.getSystem()).registry(), edgeState);
    InboundSms inbound = new InboundSms(settings, wiring::mo, receipts, clock, metrics);
    ActorRef<Command> self = ctx.getSelf();
    this.self = self;
    this.binds = new ArrayList<>();
    for (int i = 1; i <= settings.binds(); i++) {
      binds.add(new SmscBind(i, settings, inbound,
          (bind, up) -> self.tell(new BindChanged(bind.index(), up)), scheduler));
    }
    this.pool = new BindPool(binds, settings.window());
    edgeState.pool(pool);
    metrics.windows(binds.size());
    edgeState.update(0, binds.size(), settings.readinessRequiresBind());
    LOG.info("SMPP edge starting: {} transceiver bind(s) to {}:{} as {}, window {}, {}",
        settings.binds(), settings.host(), settings.port(), settings.systemId(),
        settings.window(), settings.concatenation());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Start.INSTANCE, () -> {
          binds.forEach(SmscBind::start);
          return this;
        })
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Drain.class, this::onDrain)
        .onMessageEquals(DrainSettled.INSTANCE, this::unbindForDrain)
        .onMessageEquals(Unbound.INSTANCE, () -> {
          LOG.info("SMPP edge drained: every bind closed; {} submission(s) held for their chats "
              + "to submit again from the node they move to", held);
          drained = true;
          drainReplies.forEach(r -> r.tell(org.apache.pekko.Done.getInstance()));
          drainReplies.clear();
          return this;
        })
        .onMessage(BindChanged.class, this::onBindChanged)
        .onMessage(LaneFree.class, this::onLaneFree)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessageEquals(PruneIndex.INSTANCE, this::onPrune)
        .onMessageEquals(SweepReceipts.INSTANCE, () -> {
          receipts.sweepSoon();
          return this;
        })
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private Behavior<Command> onSubmit(Submit cmd) {
    SmsSubmission s = cmd.submission();
    EncodedMessage message;
    try {
      if (budget.check(s.text()) instanceof SmsBudget.TooLong tooLong) {
        metrics.failed("too-long");
        outcome.failed(s, "text needs " + tooLong.parts() + " SMS parts; the limit is "
            + tooLong.limit());
        return this;
      }
      message = encoder.encode(s.text(), reference.incrementAndGet());
    } catch (IllegalArgumentException e) {
      outcome.failed(s, "cannot encode the text: " + e.getMessage());
      return this;
    }
    if (draining) {
      // Still pending in its chat's journal: the chat submits it again once it has moved.
      LOG.info("[session {}] SMS {} not submitted: this node is leaving", s.sessionId(),
          s.messageRef());
      hold(s);
      return this;
    }
    SmsThread thread = new SmsThread(s.source(), s.destination());
    MtSubmission submission = new MtSubmission(s, message, settings, pool, workers, scheduler,
        outcome, metrics, () -> self.tell(new LaneFree(thread)));
    boolean idle = lanes.add(thread, submission);
    edgeState.queued(lanes.size());
    if (idle) {
      start(submission);
    } else {
      LOG.debug("[session {}] SMS {} waits for the earlier SMS of its thread", s.sessionId(),
          s.messageRef());
    }
    return this;
  }

  /** Not sent from this node; its chat hears so at once (a stop it is in need not wait). */
  private void hold(SmsSubmission s) {
    held++;
    outcome.held(s);
  }

  private void start(MtSubmission submission) {
    running++;
    workers.execute(submission);
  }

  private Behavior<Command> onLaneFree(LaneFree cmd) {
    running--;
    MtSubmission next = lanes.done(cmd.thread());
    while (next != null && draining) {
      // Its turn came while leaving: it stays pending in its chat, like those that came later.
      hold(next.submission());
      next = lanes.done(cmd.thread());
    }
    edgeState.queued(lanes.size());
    if (next != null) {
      start(next);
    }
    if (draining && running == 0) {
      return unbindForDrain();
    }
    return this;
  }

  /**
   * Graceful leave: new submissions are held (their chats submit them again from the node they
   * move to), those in flight get up to {@code settle} to have their responses recorded, then
   * every bind is closed so the SMSC sends MO and receipts to the other nodes.
   */
  private Behavior<Command> onDrain(Drain cmd) {
    if (draining) {
      if (drained) {
        cmd.replyTo().tell(org.apache.pekko.Done.getInstance());
      } else {
        drainReplies.add(cmd.replyTo());
      }
      return this;
    }
    draining = true;
    drainReplies.add(cmd.replyTo());
    LOG.info("SMPP edge draining: {} submission(s) in flight get up to {} ms to settle", running,
        cmd.settle().toMillis());
    if (running == 0) {
      return unbindForDrain();
    }
    timers.startSingleTimer(DrainSettled.INSTANCE, DrainSettled.INSTANCE, cmd.settle());
    return this;
  }

  private Behavior<Command> unbindForDrain() {
    if (unbinding || !draining) {
      return this;
    }
    unbinding = true;
    timers.cancel(DrainSettled.INSTANCE);
    if (running > 0) {
      LOG.warn("SMPP edge draining: {} submission(s) still in flight after the settle time; "
          + "unbinding anyway", running);
    }
    // unbind waits for the SMSC's unbind_resp: never on the actor's thread.
    java.util.concurrent.CompletableFuture.runAsync(() -> binds.forEach(SmscBind::close), io)
        .whenComplete((ok, failure) -> self.tell(Unbound.INSTANCE));
    return this;
  }

  private Behavior<Command> onBindChanged(BindChanged cmd) {
    pool.changed();
    edgeState.update(pool.upCount(), binds.size(), settings.readinessRequiresBind());
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus cmd) {
    cmd.replyTo().tell(new Status(pool.upCount(), binds.size()));
    return this;
  }

  private Behavior<Command> onPrune() {
    io.execute(() -> {
      try {
        int removed = index.prune(settings.indexRetention());
        LOG.debug("SMSC message index: {} rows older than {} removed", removed,
            settings.indexRetention());
      } catch (SQLException e) {
        LOG.warn("SMSC message index not pruned: {}", e.getMessage());
      }
    });
    return this;
  }

  private Behavior<Command> onStop() {
    // unbind waits for the SMSC's unbind_resp: never on the actor's thread.
    java.util.concurrent.CompletableFuture.runAsync(() -> binds.forEach(SmscBind::close));
    scheduler.shutdownNow();
    workers.shutdownNow();
    io.shutdownNow();
    index.close();
    edgeState.update(0, binds.size(), settings.readinessRequiresBind());
    LOG.info("SMPP edge stopped");
    return this;
  }

  /**
   * Records the SMSC ids (and the message they belong to) before the session hears of them, so a
   * receipt that follows can always find its session and message; then routes the receipts that
   * came even sooner. A failed write (the database away) is retried in the background for the
   * match window, as long as a receipt that came meanwhile is kept; it costs only receipt
   * correlation, never the message.
   */
  private SubmitOutcome indexed(SmscMessageIndex index, ReceiptRouter receipts,
      SubmitOutcome next) {
    return new SubmitOutcome() {
      @Override
      public void submitted(SmsSubmission s, List<String> smscIds) {
        if (s.receipt() == org.ipsmgw.session.ReceiptRequest.NONE) {
          // registered_delivery 0: no receipt will come to be matched (one database write
          // fewer per SMS); one an SMSC sends anyway is kept and dropped as unmatched.
          next.submitted(s, smscIds);
          return;
        }
        if (!index(s, smscIds)) {
          retryIndex(s, smscIds, FIRST_INDEX_RETRY,
              System.nanoTime() + settings.receiptMatchWindow().toNanos());
        }
        next.submitted(s, smscIds);
      }

      @Override
      public void failed(SmsSubmission s, String reason) {
        next.failed(s, reason);
      }

      @Override
      public void held(SmsSubmission s) {
        next.held(s);
      }

      private boolean index(SmsSubmission s, List<String> smscIds) {
        try {
          index.put(smscIds, s.sessionId(), s.messageRef());
          receipts.sweepSoon();
          return true;
        } catch (SQLException e) {
          try (var scope = SubmissionScope.of(s.sessionId(), s.destination())) {
            LOG.warn("[session {}] SMSC ids {} not indexed ({}); trying again", s.sessionId(),
                smscIds.stream().map(PeerText::bounded).toList(), e.getMessage());
          }
          return false;
        }
      }

      private void retryIndex(SmsSubmission s, List<String> smscIds, Duration wait,
          long untilNanos) {
        if (System.nanoTime() > untilNanos) {
          try (var scope = SubmissionScope.of(s.sessionId(), s.destination())) {
            LOG.warn("[session {}] SMSC ids {} not indexed within {} s; their receipts will not "
                + "be matched", s.sessionId(), smscIds.stream().map(PeerText::bounded).toList(),
                settings.receiptMatchWindow().toSeconds());
          }
          return;
        }
        try {
          scheduler.schedule(() -> io.execute(() -> {
            if (!index(s, smscIds)) {
              retryIndex(s, smscIds, wait.multipliedBy(2), untilNanos);
            }
          }), wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // Stopping: nothing more to try from here.
        }
      }
    };
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
