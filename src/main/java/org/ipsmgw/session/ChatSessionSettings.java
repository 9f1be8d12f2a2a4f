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
 * @param endedLinger how long an ended chat that has just sent an SMS (teardown, withdrawn
 *     notice) stays for the SMSC's answer to it ({@code ipsmgw.session.ended-linger})
 */
public record ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
    Duration admissionTimeout, SessionObserver observer, Duration ackTimeout,
    Duration endedLinger) {
  /** 64·T1 with RFC 3261's T1 of 500 ms. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(32);
  /** The SMPP edge's default response-timeout: most answers come well within it. */
  public static final Duration DEFAULT_ENDED_LINGER = Duration.ofSeconds(10);

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout, SessionObserver observer, Duration ackTimeout) {
    this(policy, clock, admissionTimeout, observer, ackTimeout, DEFAULT_ENDED_LINGER);
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
