package org.ipsmgw.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * MO injection at rate through the simulator's batch control: each {@link #inject} is queued,
 * a flusher thread posts what is queued every {@code batchMs} as one {@code POST /mo/batch}
 * (so thousands of MO per second cost a few HTTP exchanges), and a watcher thread long-polls
 * {@code GET /mo/results} and completes each MO's future with its outcome: the statuses and the
 * simulator's own times of the deliver_sm and its deliver_sm_resp, which is what the report
 * times as "MO deliver_sm_resp" (the node's answer time alone, not the batching's).
 */
final class MoInjector implements AutoCloseable {
  private record Pending(String from, String to, String text, CompletableFuture<Outcome> f) {}

  private final SmscControl smsc;
  private final long batchMs;
  private final long timeoutMs;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  /** Posted MO by the id the simulator gave, until their outcome is read. */
  private final Map<Long, CompletableFuture<Outcome>> posted = new HashMap<>();
  /** Outcomes read before their batch's answer named their id (the watcher was quicker). */
  private final Map<Long, Outcome> early = new HashMap<>();
  private final Thread flusher;
  private final Thread watcher;
  private volatile boolean stopped;
  private volatile String lastError;
  private int read;

  MoInjector(SmscControl smsc, long batchMs, long timeoutMs) {
    this.smsc = smsc;
    this.batchMs = batchMs;
    this.timeoutMs = timeoutMs;
    try {
      this.read = smsc.moResultCount();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the SMSC simulator's /mo/results: " + e, e);
    }
    this.flusher = daemon(this::flushLoop, "mo-flusher");
    this.watcher = daemon(this::watchLoop, "mo-watcher");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Queues one MO; completes with its outcome, or fails after the timeout. */
  CompletableFuture<Outcome> inject(String from, String to, String text) {
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    queue.add(new Pending(from, to, text, f));
    return f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void flushLoop() {
    while (!stopped) {
      try {
        Thread.sleep(batchMs);
        flush();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        lastError = e.toString();
      }
    }
  }

  private void flush() throws Exception {
    List<Pending> batch = new ArrayList<>();
    Pending p;
    while (batch.size() < SmscControl.MAX_BATCH && (p = queue.poll()) != null) {
      batch.add(p);
    }
    if (batch.isEmpty()) {
      return;
    }
    long first;
    try {
      first = smsc.moBatch(batch.stream().map(b -> Map.of("from", b.from(), "to", b.to(),
          "text", b.text())).toList());
    } catch (Exception e) {
      batch.forEach(b -> b.f().completeExceptionally(e));
      throw e;
    }
    List<Runnable> done = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<Outcome> f = batch.get(i).f();
        Outcome o = early.remove(first + i);
        if (o != null) {
          done.add(() -> f.complete(o));
        } else {
          posted.put(first + i, f);
        }
      }
    }
    done.forEach(Runnable::run);
  }

  private void watchLoop() {
    while (!stopped) {
      try {
        List<Outcome> page = smsc.moResults(read, 1_000);
        read += page.size();
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
          for (Outcome o : page) {
            counted(o);
            CompletableFuture<Outcome> f = posted.remove(o.id());
            if (f != null) {
              done.add(() -> f.complete(o));
            } else {
              early.put(o.id(), o);
            }
          }
        }
        done.forEach(Runnable::run);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        lastError = e.toString();
        try {
          Thread.sleep(100);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private long firstSent = Long.MAX_VALUE;
  private long lastAnswered;
  private long answered;

  private synchronized void counted(Outcome o) {
    if (o.accepted()) {
      answered++;
      firstSent = Math.min(firstSent, o.sentMillis());
      lastAnswered = Math.max(lastAnswered, o.answeredMillis());
    }
  }

  /**
   * The rate the node answered MO at while MO were flowing: accepted MO over the span from the
   * first deliver_sm to the last deliver_sm_resp (Gatling's own "per s" is over the whole run,
   * set-ups and waits included); null when none was answered.
   */
  synchronized String rateLine() {
    return rateLine(answered, firstSent, lastAnswered);
  }

  static String rateLine(long answered, long firstSent, long lastAnswered) {
    if (answered == 0) {
      return null;
    }
    long span = Math.max(1, lastAnswered - firstSent);
    return String.format(java.util.Locale.ROOT, "MO answered %d in %.3f s (first deliver_sm to "
        + "last deliver_sm_resp) = %.1f/s", answered, span / 1000.0, answered * 1000.0 / span);
  }

  String lastError() {
    return lastError;
  }

  /** One MO's outcome as the simulator saw it. */
  record Outcome(long id, List<Integer> statuses, long sentMillis, long answeredMillis) {
    boolean accepted() {
      return !statuses.isEmpty() && statuses.stream().allMatch(s -> s == 0);
    }
  }

  @Override
  public void close() {
    stopped = true;
    flusher.interrupt();
    watcher.interrupt();
  }
}
