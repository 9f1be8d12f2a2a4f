package org.ipsmgw.node;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import scala.concurrent.Future;
import scala.concurrent.Promise;
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
    // A Promise rather than a converted CompletionStage: the conversion would wrap the failure in
    // a CompletionException, whose message starts with the exception's class name.
    Promise<Object> result = Promise.apply();
    problem().whenComplete((p, e) -> {
      if (e != null) {
        result.failure(new NotReady("not ready: " + name + ": " + Node.rootMessage(e)));
      } else if (p.isPresent()) {
        result.failure(new NotReady("not ready: " + name + ": " + p.get()));
      } else {
        result.success(Boolean.TRUE);
      }
    });
    return result.future();
  }

  /** The reason a check fails; pekko-management shows only its message, so it has no trace. */
  public static final class NotReady extends RuntimeException {
    NotReady(String message) {
      super(message, null, false, false);
    }
  }
}
