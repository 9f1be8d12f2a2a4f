package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reassembly of one concatenated MO: order, duplicates, gaps. */
class MoAssemblyTest {
  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
  private static final String[] TEXT = {"Hel", "lo ", "wor", "ld"};

  private static MoPart part(int seq) {
    return new MoPart("udh8:7", 4, seq, TEXT[seq - 1], AT.plusSeconds(seq));
  }

  @Test
  void everyOrderOfFourPartsGivesTheSameText() {
    List<List<Integer>> orders = new ArrayList<>();
    permute(new ArrayList<>(List.of(1, 2, 3, 4)), 0, orders);
    assertEquals(24, orders.size());
    for (List<Integer> order : orders) {
      MoAssembly a = MoAssembly.start("+447700900777", "+447700900555", part(order.get(0)));
      for (int i = 1; i < order.size(); i++) {
        assertFalse(a.isComplete(), order.toString());
        a = a.add(part(order.get(i)));
      }
      assertTrue(a.isComplete());
      assertEquals("Hello world", a.text(), order.toString());
      assertEquals(AT.plusSeconds(order.get(0)), a.firstPartAt());
    }
  }

  private static void permute(List<Integer> xs, int k, List<List<Integer>> out) {
    if (k == xs.size()) {
      out.add(List.copyOf(xs));
      return;
    }
    for (int i = k; i < xs.size(); i++) {
      java.util.Collections.swap(xs, k, i);
      permute(xs, k + 1, out);
      java.util.Collections.swap(xs, k, i);
    }
  }

  @Test
  void duplicatePartIsIgnored() {
    MoAssembly a = MoAssembly.start("s", "r", part(2));
    assertSame(a, a.add(new MoPart("udh8:7", 4, 2, "other", AT)));
    assertEquals(List.of(1, 3, 4), a.missing());
  }

  @Test
  void missingPartsShowAsOneMarkerPerGap() {
    MoAssembly a = MoAssembly.start("s", "r", part(1)).add(part(4));
    assertEquals(List.of(2, 3), a.missing());
    assertEquals("Hel[…]ld", a.partialText("[…]"));
    MoAssembly b = MoAssembly.start("s", "r", part(2));
    assertEquals("[…]lo […]", b.partialText("[…]"));
    assertThrows(IllegalStateException.class, a::text);
  }

  @Test
  void partsThatDoNotBelongAreRefused() {
    MoAssembly a = MoAssembly.start("s", "r", part(1));
    assertThrows(IllegalArgumentException.class,
        () -> a.add(new MoPart("udh8:7", 3, 2, "x", AT)), "total differs");
    assertThrows(IllegalArgumentException.class,
        () -> a.add(new MoPart("udh8:7", 4, 5, "x", AT)), "seq beyond total");
    assertThrows(IllegalArgumentException.class,
        () -> MoAssembly.start("s", "r", new MoPart("udh8:7", 4, 0, "x", AT)), "seq 0");
  }

  @Test
  void expiresAfterTheTimeoutFromTheFirstPart() {
    MoAssembly a = MoAssembly.start("s", "r", part(3));
    assertEquals(AT.plusSeconds(63), a.expiresAt(Duration.ofSeconds(60)));
    assertEquals("s|r|udh8:7|4", MoAssembly.key("s", "r", "udh8:7", 4));
  }
}
