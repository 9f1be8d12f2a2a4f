package org.ipsmgw.admin;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SessionSummary;

/**
 * Finds chat sessions for the admin API. Which sessions exist is read from the journal (every
 * ChatSession that ever persisted an event, on any node); each one's state comes from its entity,
 * which is the only up-to-date source. Listing therefore costs one entity ask per stored session:
 * it is an operator's tool, not something to poll at a high rate.
 */
final class SessionDirectory {
  private static final String PREFIX = ChatSession.TYPE_KEY.name() + "|";
  private static final int PARALLELISM = 8;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration timeout;

  SessionDirectory(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  /** The session's summary, or empty when no such session was ever invited. */
  CompletionStage<Optional<SessionSummary>> get(String sessionId) {
    return AskPattern.<ChatSessionCommand, SessionSummary>ask(
            sharding.entityRefFor(ChatSession.TYPE_KEY, sessionId),
            ChatSessionCommand.Summarize::new, timeout, system.scheduler())
        .thenApply(s -> s.exists() ? Optional.of(s) : Optional.empty());
  }

  /** Up to {@code limit} sessions whose state name {@code wanted} accepts, newest first. */
  CompletionStage<List<SessionSummary>> list(Predicate<String> wanted, int limit) {
    JdbcReadJournal journal = PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal.currentPersistenceIds()
        .filter(id -> id.startsWith(PREFIX))
        .mapAsyncUnordered(PARALLELISM, id -> get(id.substring(PREFIX.length()))
            .exceptionally(failure -> Optional.empty()))
        .filter(s -> s.isPresent() && wanted.test(s.get().state()))
        .map(Optional::get)
        .take(limit)
        .runWith(Sink.seq(), system)
        .thenApply(found -> found.stream()
            .sorted(Comparator.comparing(SessionSummary::invitedAt).reversed())
            .toList());
  }
}
