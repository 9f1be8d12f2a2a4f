package org.ipsmgw.load;

/** Opening and closing a simulation's gateway protocol, and the run's last line on the ledger. */
final class Runs {
  private Runs() {}

  static GatewayProtocol open(LoadConfig config, String simulation) {
    System.out.println("load: " + simulation + ": " + config.describe());
    try {
      return new GatewayProtocol(config);
    } catch (Exception e) {
      throw new IllegalStateException("load: cannot start the CPM side: " + e.getMessage(), e);
    }
  }

  /** Prints the exactly-once/order verdict (run.sh looks for it) and closes every connection. */
  static void close(GatewayProtocol gateway) {
    try {
      System.out.println("load: " + gateway.finish().line());
      if (gateway.watch.lastError() != null) {
        System.out.println("load: SMSC poll error seen: " + gateway.watch.lastError());
      }
    } finally {
      gateway.close();
    }
  }
}
