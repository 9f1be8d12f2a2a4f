package org.ipsmgw.load;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * A Gatling action whose work is asynchronous I/O: it records each exchange as a timed request
 * (OK or KO with a reason) and hands the virtual user on to the next action on the user's own
 * event loop, never blocking that loop. (The plain-Java form of Gatling's Action trait, as
 * stack.md describes: the scala-logging field is set by hand.)
 */
abstract class AsyncAction implements Action {
  private Logger logger = Logger.apply(LoggerFactory.getLogger(getClass()));
  private final String name;
  private final Action next;
  private final StatsEngine stats;

  AsyncAction(String name, Action next, StatsEngine stats) {
    this.name = name;
    this.next = next;
    this.stats = stats;
  }

  @Override
  public String name() {
    return name;
  }

  /** Called on the user's event loop: start the I/O and return. */
  @Override
  public abstract void execute(Session session);

  /** The next action, on the user's event loop (safe from any thread). */
  final void proceed(Session session) {
    session.eventLoop().execute(() -> next.$bang(session));
  }

  final void ok(Session session, String request, long start, long end) {
    record(stats, session, request, start, end, null);
  }

  final void ko(Session session, String request, long start, long end, String why) {
    record(stats, session, request, start, end, why);
  }

  /** A timed request in the report: OK when {@code error} is null, else KO with it. */
  static void record(StatsEngine stats, Session session, String request, long start, long end,
      String error) {
    stats.logResponse(session.scenario(), session.groups(), request, start, end,
        error == null ? OK$.MODULE$ : KO$.MODULE$, Option.empty(), Option.apply(error));
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger l) {
    this.logger = l;
  }
}
