package org.ipsmgw.load;

import static io.gatling.javaapi.core.CoreDsl.forAll;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import java.util.List;

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

  /**
   * What every scenario asserts: fewer than 0.1 % failed requests overall and per request, and
   * each request's p99 under {@code load.p99-ms}.
   */
  static List<Assertion> assertions(LoadConfig config) {
    return List.of(global().failedRequests().percent().lt(0.1),
        forAll().failedRequests().percent().lt(0.1),
        forAll().responseTime().percentile(99.0).lt(config.p99Ms()));
  }

  /** Prints the exactly-once/order verdict (run.sh looks for it) and closes every connection. */
  static void close(GatewayProtocol gateway) {
    try {
      String moRate = gateway.mo.rateLine();
      if (moRate != null) {
        System.out.println("load: " + moRate);
      }
      if (gateway.mo.lastError() != null) {
        System.out.println("load: MO injection error seen: " + gateway.mo.lastError());
      }
      System.out.println("load: " + gateway.finish().line());
      if (gateway.watch.lastError() != null) {
        System.out.println("load: SMSC poll error seen: " + gateway.watch.lastError());
      }
    } finally {
      gateway.close();
    }
  }
}
