package org.ipsmgw.msrp;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.MsrpPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chats' MSRP port: finds the connection that carries a chat's MSRP session, on whichever node
 * it is, through the receptionist. A chat's messages and notices are routed one after another, in
 * the order the chat handed them out, even when the first of them must wait for its connection
 * to be listed; other chats do not wait. A message with no connection stays unconfirmed in its
 * chat.
 */
public final class EntityMsrpPort implements MsrpPort {
  private static final Logger LOG = LoggerFactory.getLogger(EntityMsrpPort.class);
  private static final Duration FIND = Duration.ofSeconds(3);
  private static final int RETRIES = 6;

  private final ActorSystem<?> system;
  private final InOrder<String> perChat = new InOrder<>();

  public EntityMsrpPort(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public void send(MsrpMessage m) {
    route(m.sessionId(), m.msrpSessionId(), new MsrpConnection.Deliver(m));
  }

  @Override
  public void notifyDelivery(DeliveryNotice n) {
    route(n.sessionId(), n.msrpSessionId(), new MsrpConnection.Notify(n));
  }

  private void route(String sessionId, String msrpSessionId, MsrpConnection.Command command) {
    perChat.run(msrpSessionId, () -> route(sessionId, msrpSessionId, command, 0));
  }

  /**
   * A connection registered a moment ago may not be listed yet (the registry spreads by gossip),
   * so an empty answer is asked again after 100, 200, 400 ... ms before giving up. Completes
   * once the command was told to the connection, or given up.
   */
  private CompletionStage<Void> route(String sessionId, String msrpSessionId,
      MsrpConnection.Command command, int attempt) {
    CompletionStage<Receptionist.Listing> found = AskPattern.ask(system.receptionist(),
        replyTo -> Receptionist.find(MsrpConnection.key(msrpSessionId), replyTo), FIND,
        system.scheduler());
    return found.handle((listing, failure) -> failure == null
            ? listing.getServiceInstances(MsrpConnection.key(msrpSessionId))
            : Set.<ActorRef<MsrpConnection.Command>>of())
        .thenCompose(connections -> {
          if (!connections.isEmpty()) {
            connections.iterator().next().tell(command);
            return CompletableFuture.<Void>completedFuture(null);
          }
          if (attempt >= RETRIES) {
            SessionMdc.run(sessionId, () -> LOG.warn("[session {}] no MSRP connection for this "
                + "chat; the message stays unconfirmed", sessionId));
            return CompletableFuture.<Void>completedFuture(null);
          }
          CompletableFuture<Void> retried = new CompletableFuture<>();
          system.scheduler().scheduleOnce(Duration.ofMillis(100L << attempt),
              () -> route(sessionId, msrpSessionId, command, attempt + 1)
                  .whenComplete((ignored, e) -> retried.complete(null)),
              system.executionContext());
          return retried;
        });
  }
}
