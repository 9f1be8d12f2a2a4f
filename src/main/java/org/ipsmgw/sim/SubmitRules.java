package org.ipsmgw.sim;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulated SMSC refuses, as the options and the tests set it: a rate above which every
 * submit_sm is throttled, a count of throttled submits per destination, one destination refused
 * with a status, and destinations whose next submit loses its bind. Destinations are digits.
 */
final class SubmitRules {
  private final Clock clock;
  private final Map<String, Integer> throttledDestinations = new ConcurrentHashMap<>();
  private final Set<String> dropBindFor = ConcurrentHashMap.newKeySet();
  private volatile int throttlePerSecond;
  private volatile String refusedDestination = "";
  private volatile int refusalStatus;
  private long rateSecond;
  private int rateCount;

  SubmitRules(int throttlePerSecond, Clock clock) {
    this.throttlePerSecond = throttlePerSecond;
    this.clock = clock;
  }

  private volatile java.time.Duration submitDelay = java.time.Duration.ZERO;

  void setSubmitDelay(java.time.Duration delay) {
    this.submitDelay = delay;
  }

  java.time.Duration submitDelay() {
    return submitDelay;
  }

  void setThrottle(int perSecond) {
    this.throttlePerSecond = perSecond;
  }

  void refuse(String destination, int status) {
    this.refusedDestination = destination;
    this.refusalStatus = status;
  }

  void throttle(String destination, int count) {
    if (count <= 0) {
      throttledDestinations.remove(destination);
    } else {
      throttledDestinations.put(destination, count);
    }
  }

  void dropBindOnNextSubmit(String destination) {
    dropBindFor.add(destination);
  }

  /** Whether this submit_sm is throttled; counts it against the rate and the destination. */
  boolean throttled(String destination) {
    return overRate() || throttledByControl(destination);
  }

  /** The status a submit_sm to this destination is refused with, 0 when it is not. */
  int refusal(String destination) {
    return destination.equals(refusedDestination) ? refusalStatus : 0;
  }

  /** Whether the bind of this submit_sm is to be dropped before its response; asked once. */
  boolean dropBind(String destination) {
    return dropBindFor.remove(destination);
  }

  private synchronized boolean overRate() {
    long second = clock.millis() / 1000;
    if (second != rateSecond) {
      rateSecond = second;
      rateCount = 0;
    }
    rateCount++;
    return throttlePerSecond > 0 && rateCount > throttlePerSecond;
  }

  private boolean throttledByControl(String destination) {
    boolean[] throttled = {false};
    throttledDestinations.computeIfPresent(destination, (d, left) -> {
      throttled[0] = true;
      return left == Integer.MAX_VALUE ? left : left > 1 ? left - 1 : null;
    });
    return throttled[0];
  }
}
