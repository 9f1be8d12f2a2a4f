package org.ipsmgw.msrp;

import java.util.Locale;

/**
 * A SEND's Success-Report and Failure-Report (RFC 4975 §7.1.1, defaults "no" and "yes"), and what
 * they oblige the receiver to send.
 */
public record ReportFlags(boolean successReport, String failureReport) {

  public static ReportFlags of(MsrpFrame send) {
    boolean success = send.header("Success-Report").map(v -> v.trim().equalsIgnoreCase("yes"))
        .orElse(false);
    String failure = send.header("Failure-Report").map(v -> v.trim().toLowerCase(Locale.ROOT))
        .orElse("yes");
    return new ReportFlags(success, failure);
  }

  /** Whether a response with {@code status} is sent at all (§7.1.4). */
  public boolean answers(int status) {
    return status == MsrpStatus.OK ? answers200() : answersErrors();
  }

  /** Failure-Report "yes": every transaction gets a response, 200 included. */
  public boolean answers200() {
    return failureReport.equals("yes");
  }

  /** "yes" and "partial" get error responses; "no" gets none at all (§7.1.4). */
  public boolean answersErrors() {
    return !failureReport.equals("no");
  }

  /** A failure REPORT may follow a 200 (gateway clause, §7.1.4) unless reports were refused. */
  public boolean wantsFailureReport() {
    return !failureReport.equals("no");
  }
}
