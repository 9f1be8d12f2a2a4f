package org.ipsmgw.msrp;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.util.ByteString;
import org.ipsmgw.PeerText;
import org.ipsmgw.msrp.Bindings.Binding;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.CpmText;
import org.ipsmgw.session.MediaCommand;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SmsLimit;

/**
 * One MSRP TCP connection: frames in through an incremental parser, each SEND routed to the chat
 * its To-Path names (bound on first use after the chat confirmed the path, {@link Bindings}),
 * answered per the SEND's flags once the chat has stored it, and the chats' messages and notices
 * written out ({@link Outbox}). What a message is ({@link InboundClassifier}) and which frames go
 * out ({@link OutboundFrames}) are decided elsewhere. Binding a chat's session attaches the
 * connection to the chat (its own ref, taking {@link MediaCommand}s, sent with the bind), so the
 * chat, on any node, watches it and sends it its messages and notices directly; when the connection ends in order it tells those
 * chats first ({@link #closing}), so only a connection lost with its node makes a chat
 * re-INVITE. Lines about a bound chat carry its Call-ID in the MDC.
 */
public final class MsrpConnection extends AbstractBehavior<Object> {
  /** Messages of a connection actor. */
  public sealed interface Command {}

  /** Bytes from the peer; {@code ack} lets the next ones in. */
  public record Received(ByteString bytes, ActorRef<Ack> ack) implements Command {}

  public enum Ack { INSTANCE }

  /** The connection's input is ready; acknowledging it lets the first bytes in. */
  public record StreamStarted(ActorRef<Ack> ack) implements Command {}

  public record StreamEnded(String why) implements Command {}

  /** The connection's stream is materialized: its queue toward the peer ({@link PeerOutput}). */
  public record Attached(BoundedSourceQueue<ByteString> out) implements Command {}

  private record Bound(MsrpFrame first, MsrpPathId id, BindReply reply, String failure)
      implements Command {}

  /**
   * This connection was opened by the gateway toward the CPM side's path (RFC 6135 active
   * role): bind it to the chat and send the empty SEND that lets the peer bind it too.
   */
  public record BindOutbound(MsrpPathId id, String ourUri, String peerUri) implements Command {}

  private record OutboundBound(BindOutbound bind, BindReply reply) implements Command {}

  /** A chat answered a batch of its messages (or the ask failed: {@code failure}). */
  private record Persisted(String callId, List<WaitingSend> batch, CpmMessagesReply reply,
      String failure) implements Command {}

  /** A chat told of the orderly close has answered (or the ask timed out). */
  private record ClosingAnswered(String callId) implements Command {}

  private final PeerOutput out;
  private final MsrpSettings settings;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final InboundClassifier classifier;
  private final MsrpParser parser;
  private final Bindings bindings;
  private final Outbox outbox;
  /** A connection's chat messages on their way to their chats, by Call-ID. */
  private final org.ipsmgw.OneBatchAtATime<String, WaitingSend> sends;
  private final String remote;
  private final RefusalLog refusals;
  private final MsrpMetrics metrics;
  /** What this connection's chats send to. */
  private final ActorRef<MediaCommand> media;
  /** The peer stopped reading what is written: the connection is closing. */
  private boolean unread;

  /** @param outBound frames toward the peer that may wait in its queue ({@link Attached}) */
  public static Behavior<Command> create(int outBound, String remote,
      MsrpSettings settings, Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit, Clock clock) {
    return Behaviors.<Object>setup(ctx -> Behaviors.withMdc(Object.class, MsrpConnection::mdc,
        new MsrpConnection(ctx, outBound, remote, settings, sessions, limit, clock))).narrow();
  }

  private MsrpConnection(ActorContext<Object> ctx, int outBound,
      String remote, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions, SmsLimit limit,
      Clock clock) {
    super(ctx);
    this.out = new PeerOutput(outBound);
    this.remote = remote;
    this.settings = settings;
    this.sessions = sessions;
    this.classifier = new InboundClassifier(limit);
    this.bindings = new Bindings(clock, settings.maxMessageOctets());
    this.parser = new MsrpParser(settings.maxFrameOctets());
    this.refusals = new RefusalLog(ctx.getLog(), settings.loggedRefusals(), remote);
    this.metrics = MsrpMetrics.get(ctx.getSystem());
    metrics.opened();
    this.outbox = new Outbox(this::write, sessions, ctx.getLog(), metrics);
    this.sends = new org.ipsmgw.OneBatchAtATime<>(settings.maxBatch());
    // The chats' face of the connection is the connection itself: a chat on any node can watch
    // it, and its MediaCommands come in among the connection's own messages, in order.
    this.media = ctx.getSelf().narrow();
  }

  /**
   * The chat a message is about, where the chat admitted it; the peer's bytes name none until
   * a frame's binding is found ({@link SessionMdc#run}).
   */
  private static Map<String, String> mdc(Object c) {
    String callId = c instanceof MediaCommand m ? sessionOf(m)
        : c instanceof BindOutbound b ? b.id().callId()
        : c instanceof OutboundBound o ? o.bind().id().callId()
        : c instanceof Bound b && b.reply() instanceof BindReply.Bound ? b.id().callId()
        : c instanceof Persisted p ? p.callId()
        : c instanceof ClosingAnswered a ? a.callId()
        : null;
    return callId == null ? Map.of() : SessionMdc.of(callId);
  }

  private static String sessionOf(MediaCommand c) {
    return c instanceof MediaCommand.Deliver d ? d.message().sessionId()
        : c instanceof MediaCommand.Notify n ? n.notice().sessionId()
        : ((MediaCommand.Released) c).sessionId();
  }

  @Override
  public Receive<Object> createReceive() {
    // One case per message family, not one per message: the builder's cases are kept by every
    // connection, and an idle chat's connection should cost as little as it can.
    return newReceiveBuilder()
        .onMessage(Command.class, this::onCommand)
        .onMessage(MediaCommand.class, this::onFromChat)
        .onSignal(PostStop.class, s -> stopped(this))
        .build();
  }

  private Behavior<Object> onCommand(Command c) {
    if (c instanceof Received r) {
      return onReceived(r);
    }
    if (c instanceof Attached a) {
      out.attach(a.out());
      return this;
    }
    if (c instanceof StreamStarted s) {
      s.ack().tell(Ack.INSTANCE);
      return this;
    }
    if (c instanceof StreamEnded e) {
      getContext().getLog().info("MSRP connection from {} closed ({})", remote, e.why());
      return closing();
    }
    if (c instanceof Bound b) {
      return onBound(b);
    }
    if (c instanceof BindOutbound b) {
      return onBindOutbound(b);
    }
    if (c instanceof OutboundBound o) {
      return onOutboundBound(o);
    }
    if (c instanceof Persisted p) {
      return onPersisted(p);
    }
    // A late answer to the close's asks: they matter only while closing.
    return this;
  }

  /** Whichever behaviour the connection stops in: the peer's queue ends, the gauge drops. */
  private Behavior<Object> stopped(Behavior<Object> same) {
    out.complete();
    metrics.closed();
    return same;
  }

  private Behavior<Object> onReceived(Received r) {
    try {
      handle(parser.feed(r.bytes().toArray()));
    } catch (MsrpParseException e) {
      if (e.transactionId() == null) {
        return closeOnGarbage(r, e);
      }
      refusals.warn("MSRP connection from {}: {}; answered {}", remote, e.getMessage(),
          e.status());
      write(MsrpWriter.response(e.transactionId(), bindings.anyPeer(), bindings.anyOurs(),
          e.status(), MsrpStatus.comment(e.status())));
      try {
        handle(parser.feed(new byte[0]));
      } catch (MsrpParseException again) {
        return closeOnGarbage(r, again);
      }
    }
    r.ack().tell(Ack.INSTANCE);
    return this;
  }

  private Behavior<Object> closeOnGarbage(Received r, MsrpParseException e) {
    getContext().getLog().warn("MSRP connection from {}: {}; closing it", remote,
        e.getMessage());
    r.ack().tell(Ack.INSTANCE);
    return closing();
  }

  /**
   * The connection ends in order (its peer closed it, or this side on the peer's fault): each
   * chat it attached itself to is told and answers before the connection stops, so that chat
   * stops watching it first and does not take the end for a lost node (which re-INVITEs). On the
   * node's own shutdown no chat is told: there the end is the node leaving, and their watches
   * fire. A chat that does not answer in time is not waited for.
   */
  private Behavior<Object> closing() {
    Set<String> chats = bindings.chats();
    if (chats.isEmpty() || CoordinatedShutdown.get(getContext().getSystem()).getShutdownReason()
        .isPresent()) {
      return Behaviors.stopped();
    }
    for (String callId : chats) {
      getContext().ask(CommandReply.class, sessions.apply(callId), settings.entityTimeout(),
          replyTo -> new ChatSessionCommand.MediaClosed(media, replyTo),
          (reply, failure) -> {
            if (failure != null) {
              getContext().getLog().info("[session {}] chat did not answer the MSRP close in "
                  + "time ({}); it may re-INVITE", PeerText.bounded(callId),
                  failure.getMessage());
            }
            return new ClosingAnswered(callId);
          });
    }
    Set<String> waiting = new HashSet<>(chats);
    return Behaviors.receive(Object.class)
        .onMessage(ClosingAnswered.class, a -> {
          waiting.remove(a.callId());
          return waiting.isEmpty() ? Behaviors.stopped() : Behaviors.same();
        })
        .onMessage(Attached.class, a -> {
          out.attach(a.out());
          return Behaviors.same();
        })
        .onMessage(Received.class, r -> {
          r.ack().tell(Ack.INSTANCE);
          return Behaviors.same();
        })
        .onSignal(PostStop.class, s -> stopped(Behaviors.same()))
        // What the chats send now stays owed in them; late answers to this connection's asks
        // change nothing.
        .onAnyMessage(c -> Behaviors.same())
        .build();
  }

  private void handle(List<MsrpFrame> frames) {
    for (MsrpFrame f : frames) {
      if (!f.isRequest()) {
        outbox.answered(f);
      } else if (f.method().equals("REPORT")) {
        metrics.report(false, MsrpStatus.reportsSuccess(f.header("Status").orElse("")));
        getContext().getLog().debug("MSRP REPORT {} for {}", f.header("Status").orElse("?"),
            f.messageId().orElse("?"));
      } else if (f.method().equals("SEND")) {
        onSend(f);
      } else {
        respond(f, MsrpStatus.UNKNOWN_METHOD, ReportFlags.of(f));
      }
    }
  }

  private void onSend(MsrpFrame f) {
    ReportFlags flags = ReportFlags.of(f);
    Optional<MsrpPathId> id;
    try {
      id = MsrpPathId.ofToPath(f.path("To-Path"));
    } catch (IllegalArgumentException e) {
      respond(f, MsrpStatus.UNINTELLIGIBLE, flags);
      return;
    }
    if (id.isEmpty()) {
      respond(f, MsrpStatus.NO_SESSION, flags);
      return;
    }
    String pathId = id.get().encoded();
    Binding b = bindings.get(pathId);
    if (b != null) {
      SessionMdc.run(b.callId(), () -> onBoundSend(b, f, flags));
      return;
    }
    if (!bindings.await(pathId, f)) {
      return;
    }
    bindings.asking(id.get());
    getContext().ask(BindReply.class, sessions.apply(id.get().callId()),
        settings.entityTimeout(),
        replyTo -> new ChatSessionCommand.BindMedia(id.get().msrpSessionId(), media, replyTo),
        (reply, failure) -> new Bound(f, id.get(), reply,
            failure == null ? null : String.valueOf(failure.getMessage())));
  }

  /** The chat answered: bind if it is active with this path, then take what waited for it. */
  private Behavior<Object> onBound(Bound b) {
    List<MsrpFrame> waiting = bindings.answered(b.id().encoded());
    if (!(b.reply() instanceof BindReply.Bound chat)) {
      refusals.warn("MSRP connection from {}: path {} names no active chat ({}); 481", remote,
          PeerText.bounded(b.id().encoded()), b.failure() != null ? b.failure()
          : b.reply() == null ? "no answer" : ((Refusal) b.reply()).reason());
      waiting.forEach(f -> respond(f, MsrpStatus.NO_SESSION, ReportFlags.of(f)));
      bindings.heldUntilBound(b.id().msrpSessionId());
      bindings.refused(b.id());
      return this;
    }
    List<String> to = b.first().path("To-Path");
    String peer = b.first().path("From-Path").get(0);
    Binding bound = bind(b.id(), to.get(to.size() - 1), peer, chat);
    getContext().getLog().info("[session {}] MSRP connection from {} bound, peer {}",
        bound.callId(), remote, peer);
    waiting.forEach(f -> onBoundSend(bound, f, ReportFlags.of(f)));
    bindings.heldUntilBound(b.id().msrpSessionId()).forEach(c -> toPeer(bound, c));
    return this;
  }

  private Behavior<Object> onBindOutbound(BindOutbound b) {
    bindings.asking(b.id());
    getContext().ask(BindReply.class, sessions.apply(b.id().callId()), settings.entityTimeout(),
        replyTo -> new ChatSessionCommand.BindMedia(b.id().msrpSessionId(), media, replyTo),
        (reply, failure) -> new OutboundBound(b, reply));
    return this;
  }

  private Behavior<Object> onOutboundBound(OutboundBound o) {
    BindOutbound b = o.bind();
    if (!(o.reply() instanceof BindReply.Bound chat) || !chat.established()) {
      getContext().getLog().warn("[session {}] outbound MSRP connection for no active chat; "
          + "closing", b.id().callId());
      return Behaviors.stopped();
    }
    Binding bound = bind(b.id(), b.ourUri(), b.peerUri(), chat);
    outbox.bound(bound);
    getContext().getLog().info("[session {}] MSRP connection to {} opened and bound",
        bound.callId(), b.peerUri());
    bindings.heldUntilBound(b.id().msrpSessionId()).forEach(c -> toPeer(bound, c));
    return this;
  }

  private Binding bind(MsrpPathId id, String ourUri, String peerUri, BindReply.Bound chat) {
    return bindings.bind(id, ourUri, peerUri, chat);
  }

  private void onBoundSend(Binding b, MsrpFrame f, ReportFlags flags) {
    List<String> from = f.path("From-Path");
    if (from.isEmpty() || !from.get(0).equals(b.out().peerUri())) {
      // RFC 4975 §7.3: a SEND on a bound session must come from that session's peer.
      refusals.warn("[session {}] MSRP SEND from {} on a session bound to {}; 403",
          b.callId(), PeerText.bounded(String.valueOf(from)),
          PeerText.bounded(b.out().peerUri()));
      respond(f, MsrpStatus.NOT_ALLOWED, flags);
      return;
    }
    if (f.body().length == 0 && f.contentType().isEmpty()) {
      // The empty SEND of RFC 6135 §4: it only binds the connection.
      respond(f, MsrpStatus.OK, flags);
      return;
    }
    MessageAssembler.Outcome outcome = b.assembler().accept(f);
    if (outcome instanceof MessageAssembler.Refused r) {
      refused(b, f, r.status(), r.reason(), flags);
    } else if (outcome instanceof MessageAssembler.Complete c) {
      onMessage(b, f, c);
    } else {
      respond(f, MsrpStatus.OK, flags);
    }
  }

  private void onMessage(Binding b, MsrpFrame f, MessageAssembler.Complete c) {
    InboundMessage m = classifier.classify(c);
    if (m instanceof InboundMessage.ChatText text) {
      List<WaitingSend> now = sends.offer(b.callId(), new WaitingSend(f, b, c, text));
      if (!now.isEmpty()) {
        toChat(b.callId(), now);
      }
    } else if (m instanceof InboundMessage.Unsupported u) {
      // Clients offer files and other media routinely: the 415 says all there is to say.
      respond(f, u.status(), c.flags());
    } else if (m instanceof InboundMessage.Refused r) {
      refused(b, f, r.status(), r.reason(), c.flags());
    } else {
      respond(f, MsrpStatus.OK, c.flags());
    }
  }

  private void refused(Binding b, MsrpFrame f, int status, String reason, ReportFlags flags) {
    getContext().getLog().info("[session {}] MSRP SEND refused {}: {}", b.callId(), status,
        reason);
    respond(f, status, flags);
  }

  /**
   * The batch is given to its chat again while unanswered (ipsmgw.msrp.resend-after): the chat
   * takes each message once by its MSRP Message-ID, and the next batch waits for this answer,
   * so a copy neither doubles nor overtakes a message.
   */
  private void toChat(String callId, List<WaitingSend> batch) {
    List<CpmText> texts = batch.stream().map(w -> new CpmText(w.message().messageId(),
        w.text().imdnMessageId(), w.text().text(), w.text().receipt(),
        w.message().flags().wantsFailureReport())).toList();
    org.slf4j.Logger log = getContext().getLog();
    getContext().pipeToSelf(org.ipsmgw.ResentAsk.<ChatSessionCommand, CpmMessagesReply>ask(
            sessions.apply(callId), replyTo -> new ChatSessionCommand.CpmMessages(texts, replyTo),
            settings.resendAfter(), settings.entityTimeout(), getContext().getSystem().scheduler(),
            () -> {
              metrics.askResent();
              log.debug("[session {}] {} MSRP message(s) given to the chat again: not "
                  + "answered in {}", callId, batch.size(), settings.resendAfter());
            }),
        (reply, failure) -> new Persisted(callId, batch, reply,
            failure == null ? null : String.valueOf(failure.getMessage())));
  }

  /** Answers each SEND of the batch as its chat decided, then sends the chat what waited. */
  private Behavior<Object> onPersisted(Persisted p) {
    if (p.failure() != null) {
      getContext().getLog().warn("[session {}] {} MSRP message(s), the first {}, not persisted "
          + "in time ({}); 408", p.callId(), p.batch().size(),
          PeerText.bounded(p.batch().get(0).message().messageId()), p.failure());
      // One ask, however many SENDs it carried.
      metrics.askTimeout();
    }
    for (int i = 0; i < p.batch().size(); i++) {
      WaitingSend w = p.batch().get(i);
      int status = p.failure() != null ? MsrpStatus.TIMEOUT : answer(p.reply(), i);
      respond(w.send(), status, w.message().flags());
      if (status == MsrpStatus.OK) {
        outbox.stored(w.binding(), w.message(), w.text());
      }
    }
    List<WaitingSend> next = sends.answered(p.callId());
    if (!next.isEmpty()) {
      toChat(p.callId(), next);
    }
    return this;
  }

  /** The MSRP answer to the {@code i}-th SEND of a batch its chat answered. */
  private static int answer(CpmMessagesReply reply, int i) {
    int chat = reply.outcome(i).status();
    return chat == MsrpStatus.OK ? MsrpStatus.OK : MsrpStatus.forRefusal(chat);
  }

  /**
   * A chat's message or notice: out to the peer once the chat's session is bound here. One that
   * overtook the chat's answer to the bind waits for it; one for no session of this connection
   * stays owed in its chat, which sends it again to the next connection that attaches.
   */
  private Behavior<Object> onFromChat(MediaCommand command) {
    if (command instanceof MediaCommand.Released r) {
      bindings.release(r.sessionId());
      getContext().getLog().debug("[session {}] chat ended; MSRP session released",
          r.sessionId());
      return this;
    }
    String msrpSessionId = msrpSessionOf(command);
    Binding b = bindings.bySession(msrpSessionId);
    if (b != null) {
      toPeer(b, command);
    } else if (!bindings.holdUntilBound(msrpSessionId, command)) {
      getContext().getLog().warn("[session {}] chat message for an MSRP session this "
          + "connection does not carry; it stays owed in its chat", sessionOf(command));
    }
    return this;
  }

  private static String msrpSessionOf(MediaCommand c) {
    return c instanceof MediaCommand.Deliver d ? d.message().msrpSessionId()
        : ((MediaCommand.Notify) c).notice().msrpSessionId();
  }

  private void toPeer(Binding b, MediaCommand c) {
    if (c instanceof MediaCommand.Deliver d) {
      outbox.message(b, d.message());
    } else if (c instanceof MediaCommand.Notify n) {
      outbox.notice(b, n.notice());
    }
  }

  private void respond(MsrpFrame request, int status, ReportFlags flags) {
    if (request.method().equals("SEND")) {
      metrics.send(true, status);
    }
    if (flags.answers(status)) {
      List<String> to = request.path("To-Path");
      write(MsrpWriter.response(request, to.isEmpty() ? bindings.anyOurs()
          : to.get(to.size() - 1), status, MsrpStatus.comment(status)));
    }
  }

  private void write(MsrpFrame frame) {
    if (!out.offer(frame) && !unread) {
      unread = true;
      getContext().getLog().warn("MSRP connection from {}: peer does not read; closing", remote);
      getContext().getSelf().tell(new StreamEnded("peer does not read"));
    }
  }
}
