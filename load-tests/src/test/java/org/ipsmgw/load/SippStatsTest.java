package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SIPp baseline from a -trace_rtt file: calls over the span, nearest-rank percentiles. */
class SippStatsTest {
  @Test
  void callsPerSecondAndPercentilesFromTheRttLines() {
    List<String> lines = new ArrayList<>(List.of("Date_ms;response_time_ms;rtd_no"));
    // 200 calls answered by 500 ms: 197 at 1 ms, two at 7, one at 30 (the 198th is 7).
    for (int i = 1; i <= 197; i++) {
      lines.add((i * 2) + ";1;1");
    }
    lines.add("498;7;1");
    lines.add("499;7;1");
    lines.add("500;30;1");
    SippStats.Stats s = SippStats.parse(lines);
    assertEquals(200, s.calls());
    assertEquals(400.0, s.perSecond(), 1e-9);
    assertEquals(1.0, s.p50());
    assertEquals(7.0, s.p99());
    assertEquals("sip.calls=200\nsip.calls_per_s=400\nsip.p50_ms=1\nsip.p99_ms=7",
        s.lines().replace("\r\n", "\n"));
  }

  @Test
  void noCallsGiveNoRate() {
    assertEquals(0, SippStats.parse(List.of("Date_ms;response_time_ms;rtd_no")).calls());
  }
}
