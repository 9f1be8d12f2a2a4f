package org.ipsmgw.node;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.AbstractFunction0;

/**
 * A pekko-management readiness check whose failure says which check failed and why. The /ready
 * body names a check by its class and shows a failed check's exception message: a
 * {@code java.util.function.Supplier} check is wrapped in an anonymous lambda first (the body then
 * names only that lambda), a {@code scala.Function0} check keeps its own class, so checks are
 * functions and a failing one completes with a {@link NotReady} carrying the reason.
 */
public abstract class ReadinessCheck extends AbstractFunction0<Future<Object>> {
  protected final ActorSystem system;
  private final String name;

  /** @param name what an operator reads in the /ready body, e.g. "smsc bind" */
  protected ReadinessCheck(ActorSystem system, String name) {
    this.system = system;
    this.name = name;
  }

  /** Empty when ready, else why not (one line, nothing secret). */
  protected abstract CompletionStage<Optional<String>> problem();

  @Override
  public final Future<Object> apply() {
    return FutureConverters.asScala(problem().thenApply(p -> {
      if (p.isPresent()) {
        throw new NotReady("not ready: " + name + ": " + p.get());
      }
      return (Object) Boolean.TRUE;
    }));
  }

  /** The reason a check fails; pekko-management shows only its message, so it has no trace. */
  public static final class NotReady extends RuntimeException {
    NotReady(String message) {
      super(message, null, false, false);
    }
  }
}
