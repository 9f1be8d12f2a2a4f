package org.ipsmgw.sms;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.subscriber.Msisdn;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message on its way to the SMSC: its parts are submitted in order, each on whatever bind has
 * room, and the next part only once the SMSC answered the one before. When the message is
 * submitted or failed, {@code finished} lets the next message of its thread go. A busy SMSC
 * (ESME_RTHROTTLED, ESME_RMSGQFUL) or a lost bind gets the same part again after a back-off,
 * within the retry budget; any other refusal fails the message at once.
 *
 * <p>A back-off is scheduled on the timer, never slept on a worker thread. The worker does wait
 * twice, within bounds: in {@link BindPool#acquire} while no bind is up or every window is full
 * (at most {@code unbound-wait}, holding no bind slot), and in the synchronous submit_sm until
 * its response (at most {@code response-timeout}). The worker pool has one thread per window
 * slot, so those waits never stop more submits than the windows would.
 */
final class MtSubmission implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(MtSubmission.class);
  private static final int ESM_UDHI = 0x40;

  private final SmsSubmission submission;
  private final EncodedMessage message;
  private final SmscSettings settings;
  private final BindPool pool;
  private final Executor workers;
  private final ScheduledExecutorService scheduler;
  private final SubmitOutcome outcome;
  private final SmppMetrics metrics;
  private final Runnable finished;
  private final long deadlineNanos;
  private final List<String> smscIds = new ArrayList<>();
  private int attempt;
  /** Submitted or failed: nothing more will be tried, and run() is not called again. */
  private boolean done;

  SmsSubmission submission() {
    return submission;
  }

  MtSubmission(SmsSubmission submission, EncodedMessage message, SmscSettings settings,
      BindPool pool, Executor workers, ScheduledExecutorService scheduler, SubmitOutcome outcome,
      SmppMetrics metrics, Runnable finished) {
    this.submission = submission;
    this.message = message;
    this.settings = settings;
    this.pool = pool;
    this.workers = workers;
    this.scheduler = scheduler;
    this.outcome = outcome;
    this.metrics = metrics;
    this.finished = finished;
    this.deadlineNanos = System.nanoTime() + settings.unboundWait().toNanos();
  }

  @Override
  public void run() {
    try {
      submitParts();
    } catch (RuntimeException e) {
      try (var scope = SubmissionScope.of(submission.sessionId(), submission.destination())) {
        LOG.warn("[session {}] SMS {}: unexpected {}", submission.sessionId(),
            submission.messageRef(), e.toString());
      }
      if (!done) {
        fail("cannot submit: " + e.getClass().getSimpleName());
      }
    } finally {
      if (done) {
        // Once, whatever went wrong: the next SMS of this thread may go.
        finished.run();
      }
    }
  }

  private void submitParts() {
    while (smscIds.size() < message.segments().size()) {
      BindPool.Lease lease;
      try {
        lease = pool.acquire(deadlineNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping();
        return;
      }
      if (lease == null) {
        fail("no SMSC bind up within " + settings.unboundWait().toMillis() + " ms");
        return;
      }
      Segment part = message.segments().get(smscIds.size());
      long started = System.nanoTime();
      try {
        smscIds.add(submit(lease, part));
        metrics.submit("ESME_ROK", Duration.ofNanos(System.nanoTime() - started));
        attempt = 0;
      } catch (NegativeResponseException e) {
        metrics.submit(SmppStatus.name(e.getCommandStatus()),
            Duration.ofNanos(System.nanoTime() - started));
        if (!SmppStatus.isTransient(e.getCommandStatus())) {
          fail("SMSC refused part " + part.seq() + "/" + part.total() + ": "
              + SmppStatus.describe(e.getCommandStatus()));
          return;
        }
        retryLater(part, SmppStatus.describe(e.getCommandStatus()));
        return;
      } catch (ResponseTimeoutException | IOException e) {
        metrics.submit(e instanceof ResponseTimeoutException ? "timeout" : "bind-lost", null);
        retryLater(part, "bind " + lease.bind().index() + ": " + e.getMessage());
        return;
      } catch (PDUException | InvalidResponseException e) {
        fail("cannot submit part " + part.seq() + ": " + e.getMessage());
        return;
      } finally {
        pool.release(lease);
      }
    }
    done = true;
    outcome.submitted(submission, List.copyOf(smscIds));
  }

  private String submit(BindPool.Lease lease, Segment part) throws PDUException,
      ResponseTimeoutException, InvalidResponseException, NegativeResponseException,
      IOException {
    byte[] shortMessage = part.shortMessage();
    OptionalParameter[] tlvs = OptionalParameters.EMPTY_OPTIONAL_PARAMETERS;
    if (message.mode() == ConcatenationMode.SAR_TLV && part.total() > 1) {
      tlvs = new OptionalParameter[] {
          OptionalParameters.newSarMsgRefNum(message.reference()),
          OptionalParameters.newSarTotalSegments(part.total()),
          OptionalParameters.newSarSegmentSeqnum(part.seq())};
    } else if (message.mode() == ConcatenationMode.MESSAGE_PAYLOAD) {
      tlvs = new OptionalParameter[] {new OptionalParameter.OctetString(
          OptionalParameter.Tag.MESSAGE_PAYLOAD.code(), shortMessage)};
      shortMessage = new byte[0];
    }
    Address source = address(submission.source());
    Address destination = address(submission.destination());
    return lease.session().submitShortMessage("", source.ton(), source.npi(), source.value(),
        destination.ton(), destination.npi(), destination.value(),
        new ESMClass(message.udhIndicator() ? ESM_UDHI : 0), (byte) 0, (byte) 0, null, null,
        new RegisteredDelivery(submission.receipt().registeredDelivery()), (byte) 0,
        DataCodings.newInstance((byte) message.encoding().dataCoding()), (byte) 0, shortMessage,
        tlvs).getMessageId();
  }

  private record Address(TypeOfNumber ton, NumberingPlanIndicator npi, String value) {}

  /** An MSISDN as configured (E.164 digits by default); anything else as an alphanumeric. */
  private Address address(String value) {
    return Msisdn.normalise(value)
        .map(m -> new Address(TypeOfNumber.valueOf((byte) settings.addressTon()),
            NumberingPlanIndicator.valueOf((byte) settings.addressNpi()), Msisdn.digits(m)))
        .orElseGet(() -> new Address(TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN,
            value));
  }

  private void retryLater(Segment part, String why) {
    attempt++;
    if (attempt >= settings.retryBudget()) {
      fail("part " + part.seq() + "/" + part.total() + " not accepted after " + attempt
          + " attempts, last: " + why);
      return;
    }
    Duration wait = settings.retryMinBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
    if (wait.compareTo(settings.retryMaxBackoff()) > 0) {
      wait = settings.retryMaxBackoff();
    }
    try (var scope = SubmissionScope.of(submission.sessionId(), submission.destination())) {
      LOG.info("[session {}] SMS {} part {}/{}: {}; retry {} in {} ms", submission.sessionId(),
          submission.messageRef(), part.seq(), part.total(), why, attempt, wait.toMillis());
    }
    scheduler.schedule(() -> workers.execute(this), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The node stops before the message is submitted: not a failure the chat should report. It is
   * still pending in the chat's journal, and the chat submits it again once recovered elsewhere.
   */
  private void stopping() {
    done = true;
    try (var scope = SubmissionScope.of(submission.sessionId(), submission.destination())) {
      LOG.info("[session {}] SMS {} not submitted: the node is stopping", submission.sessionId(),
          submission.messageRef());
    }
  }

  private void fail(String reason) {
    metrics.failed(reason.startsWith("no SMSC bind") ? "unbound"
        : reason.startsWith("SMSC refused") ? "refused" : "retries-exhausted");
    done = true;
    outcome.failed(submission, reason);
  }
}
