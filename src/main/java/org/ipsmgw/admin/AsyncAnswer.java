package org.ipsmgw.admin;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes an admin request from an entity's answer. An entity that does not answer in time
 * (its shard is moving after a node loss, or the database is down) gives 503 with a line saying
 * so, never a stack trace; the client can retry.
 */
final class AsyncAnswer {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncAnswer.class);

  private AsyncAnswer() {}

  static <T> Route complete(String what, CompletionStage<T> answer,
      Function<T, HttpResponse> render) {
    return Directives.completeWithFuture(answer.thenApply(render).exceptionally(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      // Pekko's AskTimeoutException is a TimeoutException.
      boolean timeout = cause instanceof TimeoutException;
      LOG.warn("admin API: {} failed: {}", what, cause.toString());
      return JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, timeout
          ? what + " did not answer in time; try again"
          : what + " failed: " + cause.getClass().getSimpleName());
    }));
  }
}
