package org.ipsmgw.sim;

import java.time.Duration;

/**
 * How the simulated SMSC behaves.
 *
 * @param port 0 = any free port
 * @param receiptDelay delay between submit_sm_resp and the delivery receipt
 * @param deliveredRatio share of messages whose receipt says DELIVRD (others UNDELIV), 0..1
 * @param throttlePerSecond submit_sm above this rate are answered ESME_RTHROTTLED; 0 = never
 * @param hexIds message ids in hexadecimal (receipts then quote them in decimal, as some SMSCs do)
 * @param password when not empty, binds with another password are refused
 * @param controlPort HTTP control endpoint port (0 = any free port, -1 = none)
 * @param resendAfter as a real SMSC: a deliver_sm (MO or receipt) refused with a retry status,
 *     not answered, or whose bind dropped, is sent again this long later on the next bound ESME
 *     (round robin over the binds); zero = never resent
 * @param window as a real SMSC: at most this many deliver_sm (MO parts and receipts) await their
 *     deliver_sm_resp on one bind; the next waits for a response. Without it a burst (the
 *     receipts of everything queued during an outage) overflows the ESME's receive queue and is
 *     answered ESME_RTHROTTLED
 */
public record SimulatorOptions(String host, int port, Duration receiptDelay, double deliveredRatio,
    int throttlePerSecond, boolean hexIds, String password, int controlPort,
    Duration resendAfter, int window) {
  /** Outstanding deliver_sm per bind unless told otherwise: a common SMSC setting. */
  public static final int DEFAULT_WINDOW = 10;

  public SimulatorOptions {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
  }

  public SimulatorOptions(String host, int port, Duration receiptDelay, double deliveredRatio,
      int throttlePerSecond, boolean hexIds, String password, int controlPort) {
    this(host, port, receiptDelay, deliveredRatio, throttlePerSecond, hexIds, password,
        controlPort, Duration.ZERO, DEFAULT_WINDOW);
  }

  public static SimulatorOptions defaults() {
    return new SimulatorOptions("127.0.0.1", 0, Duration.ofMillis(200), 1.0, 0, false, "", -1,
        Duration.ZERO, DEFAULT_WINDOW);
  }

  public SimulatorOptions withPort(int p) {
    return new SimulatorOptions(host, p, receiptDelay, deliveredRatio, throttlePerSecond, hexIds,
        password, controlPort, resendAfter, window);
  }

  public SimulatorOptions withReceipts(Duration delay, double ratio) {
    return new SimulatorOptions(host, port, delay, ratio, throttlePerSecond, hexIds, password,
        controlPort, resendAfter, window);
  }

  public SimulatorOptions withThrottle(int perSecond) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, perSecond, hexIds,
        password, controlPort, resendAfter, window);
  }

  public SimulatorOptions withHexIds(boolean hex) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond, hex,
        password, controlPort, resendAfter, window);
  }

  public SimulatorOptions withControlPort(int p) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond,
        hexIds, password, p, resendAfter, window);
  }

  /** Resends refused or unanswered deliver_sm after {@code after}; zero = never. */
  public SimulatorOptions withResend(Duration after) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond,
        hexIds, password, controlPort, after, window);
  }

  /** At most {@code n} deliver_sm outstanding per bind. */
  public SimulatorOptions withWindow(int n) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond,
        hexIds, password, controlPort, resendAfter, n);
  }
}
