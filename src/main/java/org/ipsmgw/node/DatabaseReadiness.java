package org.ipsmgw.node;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness check (pekko-management): ready only while the journal database answers, so a load
 * balancer stops sending traffic to a node that could not persist it.
 */
public final class DatabaseReadiness extends ReadinessCheck {

  public DatabaseReadiness(ActorSystem system) {
    super(system, "journal database");
  }

  @Override
  protected CompletionStage<Optional<String>> problem() {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = Database.connect(system.settings().config());
          Statement st = c.createStatement()) {
        st.setQueryTimeout(1);
        st.execute("SELECT 1");
        return Optional.<String>empty();
      } catch (Exception e) {
        return Optional.of(Database.redact(system.settings().config().getString("ipsmgw.db.url"))
            + " does not answer: " + Node.rootMessage(e));
      }
    }, system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher"));
  }
}
