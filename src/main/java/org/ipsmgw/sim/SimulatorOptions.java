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
 */
public record SimulatorOptions(String host, int port, Duration receiptDelay, double deliveredRatio,
    int throttlePerSecond, boolean hexIds, String password, int controlPort) {

  public static SimulatorOptions defaults() {
    return new SimulatorOptions("127.0.0.1", 0, Duration.ofMillis(200), 1.0, 0, false, "", -1);
  }

  public SimulatorOptions withPort(int p) {
    return new SimulatorOptions(host, p, receiptDelay, deliveredRatio, throttlePerSecond, hexIds,
        password, controlPort);
  }

  public SimulatorOptions withReceipts(Duration delay, double ratio) {
    return new SimulatorOptions(host, port, delay, ratio, throttlePerSecond, hexIds, password,
        controlPort);
  }

  public SimulatorOptions withThrottle(int perSecond) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, perSecond, hexIds,
        password, controlPort);
  }

  public SimulatorOptions withHexIds(boolean hex) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond, hex,
        password, controlPort);
  }

  public SimulatorOptions withControlPort(int p) {
    return new SimulatorOptions(host, port, receiptDelay, deliveredRatio, throttlePerSecond,
        hexIds, password, p);
  }
}
