package org.ipsmgw.msrp;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's MSRP listener on Pekko Streams TCP: every accepted connection gets its own
 * {@link MsrpConnection} actor, fed with backpressure, so a peer that sends faster than the node
 * persists is slowed by TCP rather than buffered in memory.
 */
public final class MsrpEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(MsrpEndpoint.class);
  private static final int OUT_BUFFER = 256;

  private final Tcp.ServerBinding binding;

  private MsrpEndpoint(Tcp.ServerBinding binding) {
    this.binding = binding;
  }

  /** Binds the listener; the returned endpoint knows its actual port (useful with port 0). */
  public static MsrpEndpoint start(ActorSystem<?> system, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Supplier<OperatorPolicy> policy) throws Exception {
    AtomicLong counter = new AtomicLong();
    CompletionStage<Tcp.ServerBinding> bound = Tcp.get(system).bind(settings.host(),
        settings.port()).to(Sink.foreach(connection -> {
          String remote = connection.remoteAddress().toString();
          Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> out =
              Source.<ByteString>queue(OUT_BUFFER).preMaterialize(system);
          ActorRef<MsrpConnection.Command> actor = system.systemActorOf(
              MsrpConnection.create(out.first(), remote, settings, sessions, policy),
              "msrp-connection-" + counter.incrementAndGet(), Props.empty());
          Sink<ByteString, NotUsed> in = ActorSink.<ByteString, MsrpConnection.Command,
              MsrpConnection.Ack>actorRefWithBackpressure(actor,
              (ack, bytes) -> new MsrpConnection.Received(bytes, ack),
              MsrpConnection.StreamStarted::new,
              MsrpConnection.Ack.INSTANCE, new MsrpConnection.StreamEnded("peer closed"),
              e -> new MsrpConnection.StreamEnded(String.valueOf(e.getMessage())));
          connection.handleWith(Flow.fromSinkAndSourceCoupled(in, out.second()), system);
        })).run(system);
    Tcp.ServerBinding b = bound.toCompletableFuture().get(10, TimeUnit.SECONDS);
    LOG.info("MSRP endpoint listening on {}", b.localAddress());
    return new MsrpEndpoint(b);
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public void stop() {
    binding.unbind();
  }
}
