package org.ipsmgw.admin;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/sessions[?state=S&limit=N]}, {@code GET /api/v1/sessions/{id}} and
 * {@code DELETE /api/v1/sessions/{id}} (ends a chat with BYE, or a pending invitation with 480).
 * Without {@code state} the list shows sessions that have not ended; {@code state=ALL} shows all.
 */
final class SessionRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);
  static final Set<String> LIVE = Set.of("DECIDING", "AWAITING_REPLY", "ORIGINATING", "ACTIVE");
  static final Set<String> STATES = Set.of("DECIDING", "AWAITING_REPLY", "ORIGINATING", "ACTIVE",
      "REJECTED", "EXPIRED", "CANCELLED", "CLOSED");
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ActorSystem<?> system;
  private final SessionDirectory directory;
  private final Duration timeout;

  SessionRoutes(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.directory = new SessionDirectory(system, timeout);
    this.timeout = timeout;
  }

  Route route() {
    return Directives.pathPrefix("sessions", () -> Directives.concat(
        Directives.pathEndOrSingleSlash(() -> Directives.get(() -> Directives.parameterOptional(
            "state", state -> Directives.parameterOptional("limit", limit -> list(state, limit))))),
        Directives.path(segment(), id -> Directives.concat(
            Directives.get(() -> AsyncAnswer.complete("session " + id, directory.get(id),
                found -> found.map(s -> JsonResponses.ok(SessionView.of(s)))
                    .orElseGet(() -> unknown(id)))),
            Directives.delete(() -> end(id))))));
  }

  private Route list(Optional<String> state, Optional<String> limit) {
    Predicate<String> wanted;
    int max;
    try {
      wanted = stateFilter(state);
      max = limit(limit);
    } catch (IllegalArgumentException e) {
      return Directives.complete(JsonResponses.error(StatusCodes.BAD_REQUEST, e.getMessage()));
    }
    return AsyncAnswer.complete("the session list", directory.list(wanted, max),
        found -> JsonResponses.ok(Map.of("sessions",
            found.stream().map(SessionView::of).toList())));
  }

  static Predicate<String> stateFilter(Optional<String> state) {
    if (state.isEmpty()) {
      return LIVE::contains;
    }
    String s = state.get().toUpperCase(java.util.Locale.ROOT);
    if (s.equals("ALL")) {
      return any -> true;
    }
    if (!STATES.contains(s)) {
      throw new IllegalArgumentException("unknown state '" + state.get() + "' (expected ALL or one of "
          + String.join(", ", STATES.stream().sorted().toList()) + ")");
    }
    return s::equals;
  }

  static int limit(Optional<String> limit) {
    if (limit.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(limit.get());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // Answered below with the accepted range.
    }
    throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT);
  }

  private Route end(String id) {
    var session = ClusterSharding.get(system).entityRefFor(ChatSession.TYPE_KEY, id);
    return AsyncAnswer.complete("session " + id, directory.get(id).thenCompose(found -> {
      if (found.isEmpty()) {
        return java.util.concurrent.CompletableFuture.completedFuture(unknown(id));
      }
      return AskPattern.<ChatSessionCommand, CommandReply>ask(session,
              replyTo -> new ChatSessionCommand.End("admin API", replyTo), timeout,
              system.scheduler())
          .thenCompose(reply -> {
            if (reply instanceof Refusal r) {
              return java.util.concurrent.CompletableFuture.completedFuture(
                  JsonResponses.error(StatusCodes.CONFLICT, "session " + id + ": " + r.reason()));
            }
            LOG.info("[session {}] ended through the admin API", id);
            return directory.get(id).thenApply(s -> JsonResponses.ok(SessionView.of(s.get())));
          });
    }), response -> response);
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse unknown(String id) {
    return JsonResponses.error(StatusCodes.NOT_FOUND, "no session " + id);
  }
}
