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
 */
public record ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
    Duration admissionTimeout, SessionObserver observer) {

  public ChatSessionSettings(Supplier<OperatorPolicy> policy, Clock clock,
      Duration admissionTimeout) {
    this(policy, clock, admissionTimeout, SessionObserver.NONE);
  }
}
