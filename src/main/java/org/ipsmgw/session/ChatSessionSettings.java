package org.ipsmgw.session;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.ipsmgw.policy.OperatorPolicy;

/**
 * What every ChatSession of a node shares.
 *
 * @param policy the operator policy in force (read at each decision, so a change applies to new
 *     decisions without a restart)
 * @param clock wall clock for event timestamps and for re-arming timers after recovery
 * @param admissionTimeout how long to wait for the SmsSubscriber's admission before answering 503
 * @param observer told of state changes and messages, for metrics
 * @param ackTimeout how long a 200 to the CPM side's INVITE waits for its ACK before the chat
 *     ends with a BYE (64·T1 of {@code ipsmgw.sip.t1})
 * @param handOffWait how long a chat asked to stop (hand-off, rebalance, passivation) waits for
 *     the answers to the SMS it submitted ({@code ipsmgw.session.hand-off-wait})
 * @param failureReceiptsAwaited how many of its SMS that asked the SMSC for failure receipts only
 *     a chat keeps waiting on ({@code ipsmgw.session.failure-receipts-awaited}): a delivered one
 *     gets no receipt, so without a bound a long chat would keep every message it sent
 */
public record ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
    Duration admissionTimeout, SessionObserver observer, Duration ackTimeout,
    Duration handOffWait, int failureReceiptsAwaited) {
  /** 64·T1 with RFC 3261's T1 of 500 ms. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(32);
  /** The default of {@code ipsmgw.session.hand-off-wait}. */
  public static final Duration DEFAULT_HAND_OFF_WAIT = Duration.ofSeconds(12);
  public ChatSessionSettings {
    if (!AwaitedReceipts.inRange(failureReceiptsAwaited)) {
      throw new IllegalArgumentException(AwaitedReceipts.KEY + " must be 0-"
          + AwaitedReceipts.MAX + ", not " + failureReceiptsAwaited);
    }
  }

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout, SessionObserver observer, Duration ackTimeout,
      Duration handOffWait) {
    this(policy, clock, admissionTimeout, observer, ackTimeout, handOffWait,
        AwaitedReceipts.DEFAULT);
  }

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout, SessionObserver observer, Duration ackTimeout) {
    this(policy, clock, admissionTimeout, observer, ackTimeout, DEFAULT_HAND_OFF_WAIT);
  }

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout, SessionObserver observer) {
    this(policy, clock, admissionTimeout, observer, DEFAULT_ACK_TIMEOUT);
  }

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout) {
    this(policy, clock, admissionTimeout, SessionObserver.NONE);
  }
}
