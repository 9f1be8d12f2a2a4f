package org.ipsmgw.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node's SIP and MSRP edges reach a chat: through the node's own shard region, and,
 * once that region has stopped in a graceful leave, through the region of another Up member,
 * which routes it to the chat's new home. The region stops as soon as its chats are handed off,
 * while the CPM clients still send on their MSRP connections to this node until the moved
 * chat's re-INVITE gives them a path to the new one; before, each such SEND failed at once and
 * was answered 408. (A sharding proxy does not help: it stops with the region.)
 */
final class ChatRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ChatRoutes.class);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private volatile boolean regionStopped;
  /** One forwarder per chat reached after the region stopped: a leave is short, so are they. */
  private final Map<String, ActorRef<ChatSessionCommand>> forwarders = new ConcurrentHashMap<>();
  private final AtomicLong forwarderSeq = new AtomicLong();

  ChatRoutes(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
  }

  /** Watches this node's chat region (once it runs): when it has stopped, chats are reached
   * through another member's. */
  void watchRegion() {
    org.apache.pekko.actor.ActorRef region =
        org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system))
            .shardRegion(ChatSession.TYPE_KEY.name());
    system.systemActorOf(Behaviors.<Void>setup(ctx -> {
      ctx.watch(Adapter.toTyped(region));
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, signal -> {
            regionStopped = true;
            LOG.info("leaving: chat region stopped; SIP and MSRP requests still arriving here "
                + "reach their chats through another member's region");
            return Behaviors.stopped();
          })
          .build();
    }), "ipsmgw-chat-region-watch", Props.empty());
  }

  /** The chat with this session id (Call-ID), as the edges address it. */
  RecipientRef<ChatSessionCommand> chat(String sessionId) {
    if (!regionStopped) {
      return sharding.entityRefFor(ChatSession.TYPE_KEY, sessionId);
    }
    return forwarders.computeIfAbsent(sessionId, id -> system.systemActorOf(
        forwarder(id, system), "ipsmgw-chat-route-" + forwarderSeq.incrementAndGet(),
        Props.empty()));
  }

  /** Wraps each command as the regions route it, and gives it to another Up member's region. */
  private static Behavior<ChatSessionCommand> forwarder(String sessionId, ActorSystem<?> system) {
    return Behaviors.receiveMessage(cmd -> {
      Cluster cluster = Cluster.get(system);
      java.util.Optional<Member> other = java.util.stream.StreamSupport.stream(
              cluster.state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up() && !m.equals(cluster.selfMember()))
          .findFirst();
      if (other.isEmpty()) {
        LOG.warn("[session {}] leaving: no other Up member to reach the chat through; dropped "
            + "(its sender's timeout answers it)", sessionId);
        return Behaviors.same();
      }
      Adapter.toClassic(system).actorSelection(other.get().address().toString()
              + "/system/sharding/" + ChatSession.TYPE_KEY.name())
          .tell(new ShardingEnvelope<>(sessionId, cmd),
              org.apache.pekko.actor.ActorRef.noSender());
      return Behaviors.same();
    });
  }
}
