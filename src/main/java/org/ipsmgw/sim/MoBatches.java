package org.ipsmgw.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MO injected in batches, sent in the background so a load tool can offer thousands per second
 * without one HTTP exchange waiting per MO: each (sender, recipient) pair's MO leave one at a
 * time in the order given (the next once the previous one's deliver_sm_resp came, as an SMSC
 * keeps one SMS user's messages to one number in order), different pairs side by side on a
 * fixed set of sender threads, each deliver_sm within the bind's window. Every outcome is kept
 * in completion order for {@link #resultsFrom}, which a poller reads from where it left off.
 */
public final class MoBatches implements AutoCloseable {
  /** One MO to send: from the SMS user {@code from} to the number {@code to}. */
  public record Mo(String from, String to, String text) {}

  /**
   * A sent MO's outcome: its id (from {@link #submit}), each part's deliver_sm_resp status (-1:
   * none), when its deliver_sm left and its response came (epoch ms).
   */
  public record Result(long id, List<Integer> statuses, long sentMillis, long answeredMillis) {}

  /** Sends one MO and says how it went (the simulator's timed injection). */
  interface Sender {
    SmscSimulator.MoOutcome send(String from, String to, String text);
  }

  private record Queued(long id, Mo mo) {}

  private final Sender sender;
  private final ExecutorService threads;
  private final AtomicLong ids = new AtomicLong();
  /** Per pair, what waits behind the one being sent (the head); a pair is absent when idle. */
  private final Map<String, ArrayDeque<Queued>> pairs = new HashMap<>();
  private final List<Result> results = new ArrayList<>();

  MoBatches(Sender sender, int window) {
    this.sender = sender;
    // A few more senders than the window, so a second bind's window is used too.
    this.threads = Executors.newFixedThreadPool(Math.max(16, 4 * window), r -> {
      Thread t = new Thread(r, "smsc-sim-mo");
      t.setDaemon(true);
      return t;
    });
  }

  /** Queues the batch; returns the first MO's id, the others numbered on in batch order. */
  long submit(List<Mo> batch) {
    long first;
    List<String> start = new ArrayList<>();
    synchronized (pairs) {
      first = ids.get() + 1;
      for (Mo mo : batch) {
        String pair = mo.from() + ">" + mo.to();
        ArrayDeque<Queued> q = pairs.computeIfAbsent(pair, k -> new ArrayDeque<>());
        q.add(new Queued(ids.incrementAndGet(), mo));
        if (q.size() == 1) {
          start.add(pair);
        }
      }
    }
    start.forEach(this::schedule);
    return first;
  }

  private void schedule(String pair) {
    try {
      threads.execute(() -> sendHead(pair));
    } catch (RejectedExecutionException e) {
      // Closing: what is queued is not sent.
    }
  }

  /** Sends the pair's head, then hands the pair's next MO to the pool (fair to other pairs). */
  private void sendHead(String pair) {
    Queued head;
    synchronized (pairs) {
      head = pairs.get(pair).peek();
    }
    SmscSimulator.MoOutcome out = sender.send(head.mo().from(), head.mo().to(), head.mo().text());
    Result r = new Result(head.id(), out.statuses(), out.sentMillis(), out.answeredMillis());
    synchronized (results) {
      results.add(r);
      results.notifyAll();
    }
    boolean more;
    synchronized (pairs) {
      ArrayDeque<Queued> q = pairs.get(pair);
      q.poll();
      more = !q.isEmpty();
      if (!more) {
        pairs.remove(pair);
      }
    }
    if (more) {
      schedule(pair);
    }
  }

  /**
   * The outcomes from the {@code first}-th completed on; when there is none yet, waits up to
   * {@code waitMillis} for one (a long poll, so a reader learns of each at once).
   */
  List<Result> resultsFrom(int first, long waitMillis) throws InterruptedException {
    long until = System.currentTimeMillis() + waitMillis;
    synchronized (results) {
      long left;
      while (results.size() <= first && (left = until - System.currentTimeMillis()) > 0) {
        results.wait(left);
      }
      return List.copyOf(results.subList(Math.min(first, results.size()), results.size()));
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
