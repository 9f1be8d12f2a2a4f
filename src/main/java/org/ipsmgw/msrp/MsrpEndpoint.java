package org.ipsmgw.msrp;

import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;
import org.ipsmgw.AnsweringThread;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SmsLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's MSRP listener on Pekko Streams TCP: every accepted connection gets its own
 * {@link MsrpConnection} actor, fed with backpressure, so a peer that sends faster than the node
 * persists is slowed by TCP rather than buffered in memory.
 */
public final class MsrpEndpoint implements MsrpMedia {
  private static final Logger LOG = LoggerFactory.getLogger(MsrpEndpoint.class);
  private static final int OUT_BUFFER = 256;

  private final Tcp.ServerBinding binding;
  private final ActorSystem<?> system;
  private final MsrpSettings settings;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final SmsLimit limit;
  private final AtomicLong counter;

  private MsrpEndpoint(Tcp.ServerBinding binding, ActorSystem<?> system, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit, AtomicLong counter) {
    this.binding = binding;
    this.system = system;
    this.settings = settings;
    this.sessions = sessions;
    this.limit = limit;
    this.counter = counter;
  }

  /** Binds the listener; the returned endpoint knows its actual port (useful with port 0). */
  public static MsrpEndpoint start(ActorSystem<?> system, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit) throws Exception {
    AtomicLong counter = new AtomicLong();
    CompletionStage<Tcp.ServerBinding> bound = Tcp.get(system).bind(settings.host(),
        settings.port()).to(Sink.foreach(connection -> {
          String remote = connection.remoteAddress().toString();
          var pair = connectionFlow(system, remote, settings, sessions, limit, counter);
          pair.first().tell(new MsrpConnection.Attached(
              connection.handleWith(pair.second(), system)));
        })).run(system);
    Tcp.ServerBinding b = bound.toCompletableFuture().get(10, TimeUnit.SECONDS);
    LOG.info("MSRP endpoint listening on {}", b.localAddress());
    return new MsrpEndpoint(b, system, settings, sessions, limit, counter);
  }

  /**
   * A connection actor and the byte flow that feeds it (with backpressure) and drains it; the
   * flow materializes the queue toward the peer, which the caller hands to the actor
   * ({@link MsrpConnection.Attached}). One stream per connection: a queue materialized apart
   * would be a second stream actor for every connection, idle ones included.
   */
  private static Pair<ActorRef<MsrpConnection.Command>,
      Flow<ByteString, ByteString, BoundedSourceQueue<ByteString>>> connectionFlow(
      ActorSystem<?> system, String remote, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit, AtomicLong counter) {
    ActorRef<MsrpConnection.Command> actor = system.systemActorOf(
        MsrpConnection.create(OUT_BUFFER, remote, settings, sessions, limit,
            Clock.systemUTC()),
        "msrp-connection-" + counter.incrementAndGet(), Props.empty());
    Sink<ByteString, NotUsed> in = ActorSink.<ByteString, MsrpConnection.Command,
        MsrpConnection.Ack>actorRefWithBackpressure(actor,
        (ack, bytes) -> new MsrpConnection.Received(bytes, ack),
        MsrpConnection.StreamStarted::new,
        MsrpConnection.Ack.INSTANCE, new MsrpConnection.StreamEnded("peer closed"),
        e -> new MsrpConnection.StreamEnded(String.valueOf(e.getMessage())));
    return Pair.create(actor, Flow.fromSinkAndSourceCoupledMat(in,
        Source.<ByteString>queue(OUT_BUFFER), Keep.right()));
  }

  /**
   * Connects to the CPM side's MSRP path (RFC 6135 active role, for an offer with
   * a=setup:passive) and binds the connection to the chat.
   */
  public void connect(MsrpUri peer, MsrpPathId ours, String ourUri) {
    var pair = connectionFlow(system, peer.host() + ":" + peer.port(), settings, sessions,
        limit, counter);
    Pair<CompletionStage<Tcp.OutgoingConnection>, BoundedSourceQueue<ByteString>> run =
        Tcp.get(system).outgoingConnection(peer.host(), peer.port())
            .joinMat(pair.second(), Keep.both()).run(system);
    pair.first().tell(new MsrpConnection.Attached(run.second()));
    run.first().whenCompleteAsync((connection, failure) -> {
      if (failure != null) {
        SessionMdc.run(ours.callId(), () -> LOG.warn(
            "[session {}] cannot connect MSRP to {}: {}", ours.callId(), peer,
            failure.getMessage()));
        pair.first().tell(new MsrpConnection.StreamEnded("connect failed"));
      } else {
        pair.first().tell(new MsrpConnection.BindOutbound(ours, ourUri, peer.toString()));
      }
    }, AnsweringThread.RUN);
  }

  @Override
  public String pathUri(String callId, String msrpSessionId) {
    return new MsrpPathId(callId, msrpSessionId).uri(settings.host(), port());
  }

  @Override
  public void connect(String peerPath, String callId, String msrpSessionId) {
    MsrpPathId ours = new MsrpPathId(callId, msrpSessionId);
    connect(MsrpMedia.lastHop(peerPath), ours, pathUri(callId, msrpSessionId));
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public void stop() {
    binding.unbind();
  }
}
