package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ratio lines: each request over the baseline of its path, none without a baseline. */
class BaselinesTest {
  @TempDir
  Path dir;

  private static ReportSummary.Row row(String name, String perSecond, String p99) {
    return new ReportSummary.Row(name, "10", "10", "0", perSecond, "1", "2", p99, "9");
  }

  private static final List<ReportSummary.Row> ROWS = List.of(
      row(ChatActions.AT_SMSC, "560.0", "40"), row(ChatActions.MO, "2000.5", "12"),
      new ReportSummary.Row(ChatActions.INVITE, "1000", "800", "200", "250.0", "1", "2", "80",
          "90"), row(ChatActions.BYE, "250.0", "5"),
      row("all requests", "5000", "80"));

  @Test
  void smsPathsOverSmppAndSetUpsOverSipp() throws Exception {
    Path f = dir.resolve("b.properties");
    Files.writeString(f, "smpp.submits_per_s=56000\nsmpp.window=10\nsmpp.mo_per_s=9000\n"
        + "sip.calls_per_s=10000\n"
        + "sip.p50_ms=0\nsip.p99_ms=12\nrun.mo_answered_per_s=2800.0\n");
    List<String> lines = Baselines.ratios(ROWS, Baselines.read(f)).lines().toList();
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertEquals(List.of("MO", "answered", "2800.0/s", "=", "0.0500", "of", "SMPP", "(while", "MO",
        "flowed)"), List.of(lines.get(4).trim().split("\\s+")));
    assertEquals("baselines (same run): SMPP 56,000 submits/s (one jsmpp bind, window 10), MO "
        + "offered by the simulator up to 9,000/s; SIPp "
        + "10,000 calls/s uac → uas (response time p50 0 ms, p99 12 ms)", lines.get(0));
    assertEquals(List.of("SMS", "at", "SMSC", "560.00/s", "=", "0.0100", "of", "SMPP"),
        List.of(lines.get(1).trim().split("\\s+")));
    assertEquals(List.of("MO", "deliver_sm_resp", "2000.50/s", "=", "0.0357", "of", "SMPP"),
        List.of(lines.get(2).trim().split("\\s+")));
    // 250/s of which 800 of 1,000 OK: 200/s.
    assertTrue(lines.get(3).matches("INVITE→200 +200\\.00/s = 0\\.0200 of SIPp \\(p99 80 ms; "
        + "SIPp's 12 ms\\)"), lines.get(3));
  }

  @Test
  void aMissingBaselineIsNamedAndGivesNoRatio() throws Exception {
    Path f = dir.resolve("b.properties");
    Files.writeString(f, "smpp.submits_per_s=50000\nsmpp.window=10\n"
        + "sip.missing=sipp not on PATH: apt-get install sip-tester\n");
    List<String> lines = Baselines.ratios(ROWS, Baselines.read(f)).lines().toList();
    assertTrue(lines.get(0).endsWith("SIPp not measured (sipp not on PATH: apt-get install "
        + "sip-tester)"), lines.get(0));
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.stream().noneMatch(l -> l.contains("of SIPp")), String.join("\n", lines));
  }
}
