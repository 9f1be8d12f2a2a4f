package org.ipsmgw.node;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness check (pekko-management): ready only while the journal database answers, so a load
 * balancer stops sending traffic to a node that could not persist it.
 */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseReadiness.class);
  private final ActorSystem system;

  public DatabaseReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = Database.connect(system.settings().config());
          Statement st = c.createStatement()) {
        st.setQueryTimeout(1);
        st.execute("SELECT 1");
        return true;
      } catch (Exception e) {
        LOG.warn("readiness: journal database not reachable: {}", e.getMessage());
        return false;
      }
    }, system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher"));
  }
}
