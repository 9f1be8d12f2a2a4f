package org.ipsmgw.msrp;

import org.slf4j.Logger;

/**
 * WARN lines for the refusals one connection's peer caused, for the first
 * {@code ipsmgw.msrp.logged-refusals-per-connection} only, then one line saying the rest are not
 * logged: each line is bounded by its caller, and so is their number, so no peer floods the log.
 */
final class RefusalLog {
  private final Logger log;
  private final int logged;
  private final String remote;
  private int refusals;

  RefusalLog(Logger log, int logged, String remote) {
    this.log = log;
    this.logged = logged;
    this.remote = remote;
  }

  void warn(String format, Object... args) {
    refusals++;
    if (refusals <= logged) {
      log.warn(format, args);
    }
    if (refusals == logged) {
      log.warn("MSRP connection from {}: {} refusals; further ones on this connection are not "
          + "logged", remote, refusals);
    }
  }
}
