package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Batched MO: one pair's MO leave one at a time in the order given, different pairs side by
 * side, every outcome listed once in completion order with its id and times.
 */
class MoBatchesTest {
  @Test
  void onePairsMoLeaveInOrderOneAtATimeWhileOtherPairsGoSideBySide() throws Exception {
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    Map<String, List<String>> sent = new ConcurrentHashMap<>();
    AtomicInteger overlapWithinPair = new AtomicInteger();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger mostConcurrent = new AtomicInteger();
    CountDownLatch twoPairsAtOnce = new CountDownLatch(1);
    MoBatches.Sender sender = (from, to, text) -> {
      String pair = from + ">" + to;
      if (inFlight.computeIfAbsent(pair, k -> new AtomicInteger()).incrementAndGet() > 1) {
        overlapWithinPair.incrementAndGet();
      }
      int now = concurrent.incrementAndGet();
      mostConcurrent.accumulateAndGet(now, Math::max);
      if (now > 1) {
        twoPairsAtOnce.countDown();
      }
      try {
        // Hold the first sends until two pairs are in flight together (or give up after 2 s).
        twoPairsAtOnce.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sent.computeIfAbsent(pair, k -> Collections.synchronizedList(new ArrayList<>())).add(text);
      concurrent.decrementAndGet();
      inFlight.get(pair).decrementAndGet();
      long t = System.currentTimeMillis();
      return new SmscSimulator.MoOutcome(List.of(0), t, t + 1);
    };
    try (MoBatches batches = new MoBatches(sender, 10)) {
      List<MoBatches.Mo> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        for (String user : List.of("a", "b", "c")) {
          batch.add(new MoBatches.Mo(user, "n", user + i));
        }
      }
      long first = batches.submit(batch);
      assertEquals(1, first);
      assertEquals(151, batches.submit(List.of(new MoBatches.Mo("a", "n", "a50"))));
      List<MoBatches.Result> results = new ArrayList<>();
      long until = System.currentTimeMillis() + 10_000;
      while (results.size() < 151 && System.currentTimeMillis() < until) {
        results.addAll(batches.resultsFrom(results.size(), 1_000));
      }
      assertEquals(151, results.size());
      assertEquals(151, results.stream().map(MoBatches.Result::id).distinct().count(),
          "each outcome once");
      assertTrue(results.stream().allMatch(r -> r.statuses().equals(List.of(0))
          && r.answeredMillis() == r.sentMillis() + 1));
      assertEquals(0, overlapWithinPair.get(), "one pair's MO one at a time");
      assertTrue(mostConcurrent.get() >= 2, "different pairs side by side");
      for (String user : List.of("b", "c")) {
        assertEquals(java.util.stream.IntStream.range(0, 50).mapToObj(i -> user + i).toList(),
            sent.get(user + ">n"), "in the order given");
      }
      assertEquals(java.util.stream.IntStream.range(0, 51).mapToObj(i -> "a" + i)
          .collect(Collectors.toList()), sent.get("a>n"), "a later batch queues behind");
      assertEquals(List.of(), batches.resultsFrom(151, 50), "nothing more after a short wait");
    }
  }
}
