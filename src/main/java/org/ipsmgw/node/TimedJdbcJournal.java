package org.ipsmgw.node;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import org.ipsmgw.admin.JournalMetrics;
import org.ipsmgw.admin.NodeMetrics;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * pekko-persistence-jdbc's journal (conf/persistence.conf: {@code jdbc-journal.class}), timing
 * each write from the plugin's call to the database's answer: every entity's persist waits for
 * exactly this, so it is the latency an operator alerts on. Writes and replays are the plugin's.
 */
public final class TimedJdbcJournal extends JdbcAsyncWriteJournal {
  private final Timer stored;
  private final Timer failed;

  public TimedJdbcJournal(Config config) {
    super(config);
    MeterRegistry registry = NodeMetrics.get(Adapter.toTyped(context().system())).registry();
    this.stored = JournalMetrics.writes(registry, "ok");
    this.failed = JournalMetrics.writes(registry, "failed");
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long start = System.nanoTime();
    Future<Seq<Try<BoxedUnit>>> written = super.asyncWriteMessages(messages);
    written.onComplete(result -> {
      boolean ok = result.isSuccess() && result.get().forall(Try::isSuccess);
      (ok ? stored : failed).record(System.nanoTime() - start,
          java.util.concurrent.TimeUnit.NANOSECONDS);
      return BoxedUnit.UNIT;
    }, context().dispatcher());
    return written;
  }
}
