package org.ipsmgw;

import java.util.concurrent.Executor;

/**
 * Runs a Pekko ask's callback on the thread that answered it. The ask's answer is a Scala
 * future's Java view, which runs every callback given without an executor asynchronously on the
 * JDK's default executor; with two cores (common-pool parallelism 1) that is a new thread per
 * callback: a thread per SMS acceptance, per receipt, per set-up. Only for short callbacks that do
 * not block: they run on the answering actor's or the scheduler's thread.
 */
public final class AnsweringThread {
  public static final Executor RUN = Runnable::run;

  private AnsweringThread() {
  }
}
