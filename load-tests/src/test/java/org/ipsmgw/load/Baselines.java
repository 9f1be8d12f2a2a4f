package org.ipsmgw.load;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The baselines run.sh measured in the same run, before the scenario (a file of
 * {@code key=value} lines): {@code smpp.submits_per_s} (one raw jsmpp ESME, window
 * {@code smpp.window}, to the same SMSC simulator), {@code smpp.mo_per_s} (the simulator's own
 * MO capacity to an ESME that answers at once: what the tool can offer), {@code sip.calls_per_s},
 * {@code sip.p50_ms}, {@code sip.p99_ms} (SIPp uac → uas on loopback), or {@code sip.missing} /
 * {@code smpp.missing} saying why one was not measured; and from the run itself
 * {@code run.mo_answered_per_s} (MO answered over the span they flowed). {@link #ratios} puts
 * each scenario figure over its baseline: the SMS paths (MSRP → SMS, SMS → MSRP, pager) over
 * the SMPP one, set-ups over SIPp's.
 */
record Baselines(Double smppPerSecond, String smppWindow, String smppMissing, Double sipPerSecond,
    String sipP50, String sipP99, String sipMissing, Double moAnsweredPerSecond,
    Double smscMoPerSecond) {

  /** Which baseline each request is measured against. */
  static final Map<String, String> AGAINST = Map.ofEntries(
      Map.entry(ChatActions.SEND, "SMPP"), Map.entry(ChatActions.AT_SMSC, "SMPP"),
      Map.entry(ChatActions.MO, "SMPP"), Map.entry(ChatActions.AT_CPM, "SMPP"),
      Map.entry(ChatActions.PAGER, "SMPP"), Map.entry(ChatActions.PAGER_AT_SMSC, "SMPP"),
      Map.entry(ChatActions.PAGER_AT_CPM, "SMPP"), Map.entry(ChatActions.INVITE, "SIPp"),
      Map.entry(ChatActions.INVITATION_SMS, "SIPp"), Map.entry(ChatActions.REPLY_TO_200, "SIPp"));

  static Baselines read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return new Baselines(number(p.getProperty("smpp.submits_per_s")),
        p.getProperty("smpp.window", "?"), p.getProperty("smpp.missing"),
        number(p.getProperty("sip.calls_per_s")), p.getProperty("sip.p50_ms", "?"),
        p.getProperty("sip.p99_ms", "?"), p.getProperty("sip.missing"),
        number(p.getProperty("run.mo_answered_per_s")),
        number(p.getProperty("smpp.mo_per_s")));
  }

  private static Double number(String s) {
    try {
      return s == null || s.isBlank() ? null : Double.valueOf(s.trim().replace(",", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The ratio lines: the baselines, then each request with one, its OK rate (Gatling's rate ×
   * OK / count) over the baseline's.
   */
  static String ratios(List<ReportSummary.Row> rows, Baselines b) {
    StringBuilder out = new StringBuilder("baselines (same run): SMPP ");
    out.append(b.smppPerSecond == null ? "not measured (" + b.smppMissing + ")"
        : String.format(Locale.ROOT, "%,.0f submits/s (one jsmpp bind, window %s)",
            b.smppPerSecond, b.smppWindow));
    if (b.smscMoPerSecond != null) {
      out.append(String.format(Locale.ROOT, ", MO offered by the simulator up to %,.0f/s",
          b.smscMoPerSecond));
    }
    out.append("; SIPp ");
    out.append(b.sipPerSecond == null ? "not measured (" + b.sipMissing + ")"
        : String.format(Locale.ROOT, "%,.0f calls/s uac → uas (response time p50 %s ms, p99 %s"
            + " ms)", b.sipPerSecond, b.sipP50, b.sipP99));
    out.append('\n');
    for (ReportSummary.Row r : rows == null ? List.<ReportSummary.Row>of() : rows) {
      String against = AGAINST.get(r.name());
      Double base = "SMPP".equals(against) ? b.smppPerSecond : "SIPp".equals(against)
          ? b.sipPerSecond : null;
      Double perSecond = number(r.perSecond());
      Double count = number(r.count());
      Double ok = number(r.ok());
      if (base == null || perSecond == null || count == null || ok == null || base <= 0
          || count <= 0) {
        continue;
      }
      // Only what succeeded counts: Gatling's "per s" also counts the KOs.
      double rate = perSecond * ok / count;
      out.append(String.format(Locale.ROOT, "%-24s %9.2f/s = %.4f of %s", r.name(), rate,
          rate / base, against));
      if ("SIPp".equals(against)) {
        out.append(String.format(Locale.ROOT, " (p99 %s ms; SIPp's %s ms)", r.p99(), b.sipP99));
      }
      out.append('\n');
    }
    if (b.moAnsweredPerSecond != null && b.smppPerSecond != null && b.smppPerSecond > 0) {
      out.append(String.format(Locale.ROOT, "%-24s %9.1f/s = %.4f of SMPP (while MO flowed)%n",
          "MO answered", b.moAnsweredPerSecond, b.moAnsweredPerSecond / b.smppPerSecond));
    }
    return out.toString().stripTrailing();
  }
}
