package org.ipsmgw.msrp;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.PeerText;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.CpimMessages;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.MessageTypes;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.SmsLimit;

/**
 * One MSRP TCP connection: frames in through an incremental parser, each SEND routed to the chat
 * its To-Path names (bound on first use after the chat confirmed the path), answers and REPORTs
 * per the SEND's flags, and the chat's outgoing messages written as chunks of at most 2048 octets.
 * A bound connection is registered with the receptionist under its MSRP session id, so a chat on
 * any node can reach it.
 */
public final class MsrpConnection extends AbstractBehavior<MsrpConnection.Command> {
  /** Messages of a connection actor. */
  public sealed interface Command {}

  /** Bytes from the peer; {@code ack} lets the next ones in. */
  public record Received(ByteString bytes, ActorRef<Ack> ack) implements Command {}

  public enum Ack { INSTANCE }

  /** The connection's input is ready; acknowledging it lets the first bytes in. */
  public record StreamStarted(ActorRef<Ack> ack) implements Command {}

  public record StreamEnded(String why) implements Command {}

  /** A chat's message for its CPM user. */
  public record Deliver(MsrpMessage message) implements Command, CborSerializable {}

  /** A chat's IMDN for its CPM user. */
  public record Notify(DeliveryNotice notice) implements Command, CborSerializable {}

  private record Bound(MsrpFrame first, String pathId, BindReply reply, String failure)
      implements Command {}

  /**
   * This connection was opened by the gateway toward the CPM side's path (RFC 6135 active
   * role): bind it to the chat and send the empty SEND that lets the peer bind it too.
   */
  public record BindOutbound(MsrpPathId id, String ourUri, String peerUri) implements Command {}

  private record OutboundBound(BindOutbound bind, BindReply reply) implements Command {}

  /**
   * @param interworkingFor the imdn.Message-ID whose sender asked for an interworking
   *     notification, or null
   */
  private record Persisted(MsrpFrame send, String pathId, MessageAssembler.Complete message,
      CommandReply reply, String failure, String interworkingFor) implements Command {}

  /** The receptionist key of the connection carrying an MSRP session. */
  public static ServiceKey<Command> key(String msrpSessionId) {
    return ServiceKey.create(Command.class, "msrp-" + msrpSessionId);
  }

  private record Binding(String callId, String msrpSessionId, String ourUri, String peerUri,
      String cpmIdentity, String smsMsisdn, MessageAssembler assembler) {}

  private record Outgoing(String callId, String messageRef, boolean last) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Status of a failure REPORT for an SMS the SMSC refused or could not deliver: 403, "action
   * not allowed", as RFC 4975 has no code of its own for a downstream network's refusal.
   */
  private static final int FAILED_DOWNSTREAM = 403;

  private final BoundedSourceQueue<ByteString> out;
  private final MsrpSettings settings;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final SmsLimit limit;
  private final MsrpParser parser;
  private final Map<String, Binding> bindings = new HashMap<>();
  private final Map<String, List<MsrpFrame>> binding = new HashMap<>();
  private final Map<String, Outgoing> sent = new HashMap<>();
  private final String remote;
  /** Refusals this connection's peer caused so far; only the first few reach the log. */
  private int refusals;

  public static Behavior<Command> create(BoundedSourceQueue<ByteString> out, String remote,
      MsrpSettings settings, Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit) {
    return Behaviors.setup(ctx -> new MsrpConnection(ctx, out, remote, settings, sessions,
        limit));
  }

  private MsrpConnection(ActorContext<Command> ctx, BoundedSourceQueue<ByteString> out,
      String remote, MsrpSettings settings,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      SmsLimit limit) {
    super(ctx);
    this.out = out;
    this.remote = remote;
    this.settings = settings;
    this.sessions = sessions;
    this.limit = limit;
    this.parser = new MsrpParser(settings.maxFrameOctets());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Received.class, this::onReceived)
        .onMessage(StreamStarted.class, s -> {
          s.ack().tell(Ack.INSTANCE);
          return this;
        })
        .onMessage(StreamEnded.class, e -> {
          getContext().getLog().info("MSRP connection from {} closed ({})", remote, e.why());
          return Behaviors.stopped();
        })
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindOutbound.class, b -> {
          getContext().ask(BindReply.class, sessions.apply(b.id().callId()),
              settings.entityTimeout(),
              replyTo -> new ChatSessionCommand.BindMedia(b.id().msrpSessionId(), replyTo),
              (reply, failure) -> new OutboundBound(b, reply));
          return this;
        })
        .onMessage(OutboundBound.class, this::onOutboundBound)
        .onMessage(Persisted.class, this::onPersisted)
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Notify.class, this::onNotify)
        .onSignal(PostStop.class, s -> {
          completeQuietly();
          return this;
        })
        .build();
  }

  private Behavior<Command> onReceived(Received r) {
    byte[] data = r.bytes().toArray();
    try {
      handle(parser.feed(data));
    } catch (MsrpParseException e) {
      if (e.transactionId() == null) {
        getContext().getLog().warn("MSRP connection from {}: {}; closing it", remote,
            e.getMessage());
        r.ack().tell(Ack.INSTANCE);
        return Behaviors.stopped();
      }
      refusal("MSRP connection from {}: {}; answered {}", remote, e.getMessage(), e.status());
      write(new MsrpFrame(e.transactionId(), null, e.status(), reason(e.status()), List.of(
          MsrpWriter.header("To-Path", anyPeer()), MsrpWriter.header("From-Path", anyOurs())),
          new byte[0], '$'));
      try {
        handle(parser.feed(new byte[0]));
      } catch (MsrpParseException again) {
        getContext().getLog().warn("MSRP connection from {}: {}; closing it", remote,
            again.getMessage());
        r.ack().tell(Ack.INSTANCE);
        return Behaviors.stopped();
      }
    }
    r.ack().tell(Ack.INSTANCE);
    return this;
  }

  private void handle(List<MsrpFrame> frames) {
    for (MsrpFrame f : frames) {
      if (!f.isRequest()) {
        onResponse(f);
      } else if (f.method().equals("REPORT")) {
        getContext().getLog().debug("MSRP REPORT {} for {}", f.header("Status").orElse("?"),
            f.messageId().orElse("?"));
      } else if (f.method().equals("SEND")) {
        onSend(f);
      } else {
        respond(f, 501, ReportFlags.of(f));
      }
    }
  }

  private void onSend(MsrpFrame f) {
    ReportFlags flags = ReportFlags.of(f);
    List<String> to = f.path("To-Path");
    Optional<MsrpPathId> id;
    try {
      id = to.isEmpty() ? Optional.empty()
          : MsrpPathId.decode(MsrpUri.parse(to.get(to.size() - 1)).sessionId());
    } catch (IllegalArgumentException e) {
      respond(f, 400, flags);
      return;
    }
    if (id.isEmpty()) {
      respond(f, 481, flags);
      return;
    }
    String pathId = id.get().encoded();
    Binding b = bindings.get(pathId);
    if (b != null) {
      onBoundSend(b, f, flags);
      return;
    }
    List<MsrpFrame> waiting = binding.get(pathId);
    if (waiting != null) {
      waiting.add(f);
      return;
    }
    binding.put(pathId, new ArrayList<>(List.of(f)));
    getContext().ask(BindReply.class, sessions.apply(id.get().callId()),
        settings.entityTimeout(),
        replyTo -> new ChatSessionCommand.BindMedia(id.get().msrpSessionId(), replyTo),
        (reply, failure) -> new Bound(f, pathId, reply,
            failure == null ? null : String.valueOf(failure.getMessage())));
  }

  /** The chat answered: bind if it is active with this path, then take what waited for it. */
  private Behavior<Command> onBound(Bound b) {
    List<MsrpFrame> waiting = binding.remove(b.pathId());
    MsrpPathId id = MsrpPathId.decode(b.pathId()).orElseThrow();
    if (!(b.reply() instanceof BindReply.Bound chat)) {
      refusal("MSRP connection from {}: path {} names no active chat ({}); 481", remote,
          PeerText.bounded(String.valueOf(b.pathId())), b.failure() != null ? b.failure()
          : b.reply() == null ? "no answer" : ((Refusal) b.reply()).reason());
      waiting.forEach(f -> respond(f, 481, ReportFlags.of(f)));
      return this;
    }
    String ours = b.first().path("To-Path").get(b.first().path("To-Path").size() - 1);
    String peer = b.first().path("From-Path").get(0);
    Binding bound = new Binding(id.callId(), id.msrpSessionId(), ours, peer, chat.cpmIdentity(),
        chat.smsMsisdn(), new MessageAssembler(settings.maxMessageOctets()));
    bindings.put(b.pathId(), bound);
    getContext().getSystem().receptionist().tell(
        Receptionist.register(key(id.msrpSessionId()), getContext().getSelf()));
    getContext().getLog().info("[session {}] MSRP connection from {} bound, peer {}",
        id.callId(), remote, peer);
    waiting.forEach(f -> onBoundSend(bound, f, ReportFlags.of(f)));
    return this;
  }

  private Behavior<Command> onOutboundBound(OutboundBound o) {
    BindOutbound b = o.bind();
    if (!(o.reply() instanceof BindReply.Bound chat) || !chat.established()) {
      getContext().getLog().warn("[session {}] outbound MSRP connection for no active chat; "
          + "closing", b.id().callId());
      return Behaviors.stopped();
    }
    Binding bound = new Binding(b.id().callId(), b.id().msrpSessionId(), b.ourUri(),
        b.peerUri(), chat.cpmIdentity(), chat.smsMsisdn(),
        new MessageAssembler(settings.maxMessageOctets()));
    bindings.put(b.id().encoded(), bound);
    getContext().getSystem().receptionist().tell(
        Receptionist.register(key(b.id().msrpSessionId()), getContext().getSelf()));
    String tid = newId();
    sent.put(tid, new Outgoing(b.id().callId(), null, true));
    write(MsrpWriter.send(tid, b.peerUri(), b.ourUri(), newId(), ByteRange.whole(0), false,
        null, MessageTypes.TEXT, new byte[0], '$'));
    getContext().getLog().info("[session {}] MSRP connection to {} opened and bound",
        b.id().callId(), b.peerUri());
    return this;
  }

  private void onBoundSend(Binding b, MsrpFrame f, ReportFlags flags) {
    List<String> from = f.path("From-Path");
    if (from.isEmpty() || !from.get(0).equals(b.peerUri())) {
      // RFC 4975 §7.3: a SEND on a bound session must come from that session's peer.
      refusal("[session {}] MSRP SEND from {} on a session bound to {}; 403",
          b.callId(), PeerText.bounded(String.valueOf(from)), PeerText.bounded(b.peerUri()));
      respond(f, 403, flags);
      return;
    }
    if (f.body().length == 0 && f.contentType().isEmpty()) {
      // The empty SEND of RFC 6135 §4: it only binds the connection.
      respond(f, 200, flags);
      return;
    }
    MessageAssembler.Outcome outcome = b.assembler().accept(f);
    if (outcome instanceof MessageAssembler.Refused r) {
      getContext().getLog().info("[session {}] MSRP SEND refused {}: {}", b.callId(), r.status(),
          r.reason());
      respond(f, r.status(), flags);
    } else if (outcome instanceof MessageAssembler.Complete c) {
      onMessage(b, f, c);
    } else {
      respond(f, 200, flags);
    }
  }

  private void onMessage(Binding b, MsrpFrame f, MessageAssembler.Complete c) {
    ReportFlags flags = c.flags();
    String type = MessageTypes.base(c.contentType());
    String text;
    String imdnId = c.messageId();
    org.ipsmgw.session.ReceiptRequest receipt = org.ipsmgw.session.ReceiptRequest.NONE;
    boolean interworking = false;
    if (type.equals(MessageTypes.CPIM)) {
      CpimMessage cpim;
      try {
        cpim = CpimCodec.parse(c.body());
      } catch (IllegalArgumentException e) {
        getContext().getLog().info("[session {}] MSRP SEND with bad CPIM: {}", b.callId(),
            e.getMessage());
        respond(f, 400, flags);
        return;
      }
      if (MessageTypes.isComposing(cpim.contentType())
          || cpim.contentType().equals(org.ipsmgw.cpim.ImdnXml.CONTENT_TYPE)) {
        respond(f, 200, flags);
        return;
      }
      if (!MessageTypes.becomesSms(cpim.contentType())) {
        respond(f, 415, flags);
        return;
      }
      text = cpim.bodyText();
      imdnId = cpim.imdnMessageId().orElse(c.messageId());
      receipt = CpimMessages.receiptRequest(cpim);
      interworking = CpimMessages.wantsInterworkingNotice(cpim) && cpim.imdnMessageId().isPresent();
    } else if (MessageTypes.isComposing(type)) {
      respond(f, 200, flags);
      return;
    } else if (type.equals(MessageTypes.TEXT)) {
      text = new String(c.body(), StandardCharsets.UTF_8);
    } else {
      respond(f, 415, flags);
      return;
    }
    Optional<Refusal> tooLong = limit.tooLong(text);
    if (tooLong.isPresent()) {
      getContext().getLog().info("[session {}] MSRP SEND refused 413: {}", b.callId(),
          tooLong.get().reason());
      respond(f, 413, flags);
      return;
    }
    String finalText = text;
    String finalImdn = imdnId;
    org.ipsmgw.session.ReceiptRequest finalReceipt = receipt;
    String pathId = new MsrpPathId(b.callId(), b.msrpSessionId()).encoded();
    String interworkingFor = interworking ? imdnId : null;
    getContext().ask(CommandReply.class, sessions.apply(b.callId()), settings.entityTimeout(),
        replyTo -> new ChatSessionCommand.CpmMessage(c.messageId(), finalImdn, finalText,
            finalReceipt, flags.wantsFailureReport(), replyTo),
        (reply, failure) -> new Persisted(f, pathId, c, reply,
            failure == null ? null : String.valueOf(failure.getMessage()), interworkingFor));
  }

  private Behavior<Command> onPersisted(Persisted p) {
    ReportFlags flags = p.message().flags();
    Binding b = bindings.get(p.pathId());
    if (p.failure() != null) {
      getContext().getLog().warn("MSRP message {} not persisted in time ({}); 408",
          PeerText.bounded(p.message().messageId()), p.failure());
      respond(p.send(), 408, flags);
      return this;
    }
    if (p.reply() instanceof Refusal r) {
      int status = switch (r.status()) {
        case 400, 403, 413, 415, 481 -> r.status();
        default -> 403;
      };
      respond(p.send(), status, flags);
      return this;
    }
    respond(p.send(), 200, flags);
    if (flags.successReport() && b != null) {
      write(MsrpWriter.report(newId(), b.peerUri(), b.ourUri(), p.message().messageId(),
          ByteRange.whole(p.message().body().length), 200, "OK"));
    }
    if (p.interworkingFor() != null && b != null) {
      // The sender asked to learn that its message leaves CPM: it goes on as SMS.
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      Imdn notice = new Imdn(p.interworkingFor(), now.toString(), null, Imdn.Kind.INTERWORKING,
          "legacy-sms");
      sendMessage(b, null, CpimCodec.write(CpimMessages.notification(b.smsMsisdn(),
          b.cpmIdentity(), now, newId(), notice)));
    }
    return this;
  }

  private void onResponse(MsrpFrame f) {
    Outgoing o = sent.remove(f.transactionId());
    if (o == null) {
      return;
    }
    if (f.status() == 200 && o.last() && o.messageRef() != null) {
      sessions.apply(o.callId()).tell(new ChatSessionCommand.MsrpDelivered(o.messageRef()));
    } else if (f.status() != 200) {
      getContext().getLog().warn("MSRP peer answered {} {} to chunk of {}", f.status(),
          PeerText.bounded(f.comment()), o.messageRef());
    }
  }

  private Behavior<Command> onDeliver(Deliver d) {
    MsrpMessage m = d.message();
    Binding b = byMsrpSession(m.msrpSessionId());
    if (b == null) {
      return this;
    }
    CpimMessage cpim = CpimMessages.chat(m.fromMsisdn(), b.cpmIdentity(),
        OffsetDateTime.ofInstant(m.sentAt(), ZoneOffset.UTC), newId(), m.text());
    sendMessage(b, m.messageRef(), CpimCodec.write(cpim));
    return this;
  }

  private Behavior<Command> onNotify(Notify n) {
    DeliveryNotice notice = n.notice();
    Binding b = byMsrpSession(notice.msrpSessionId());
    if (b == null) {
      return this;
    }
    if (notice.msrpMessageId() != null) {
      // The 200 went out when the chat stored the message; the SMS failed after (§7.1.4).
      write(MsrpWriter.report(newId(), b.peerUri(), b.ourUri(), notice.msrpMessageId(),
          new ByteRange(1, -1, -1), FAILED_DOWNSTREAM, "SMS not delivered"));
    }
    if (notice.imdnMessageId() != null) {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      Imdn imdn = new Imdn(notice.imdnMessageId(), now.toString(), null, Imdn.Kind.DELIVERY,
          notice.delivered() ? "delivered" : "failed");
      sendMessage(b, null, CpimCodec.write(CpimMessages.notification(b.smsMsisdn(),
          b.cpmIdentity(), now, newId(), imdn)));
    }
    return this;
  }

  /** Writes a message as SEND chunks of at most 2048 octets; the last one ends with '$'. */
  private void sendMessage(Binding b, String messageRef, byte[] body) {
    String messageId = newId();
    int total = body.length;
    int at = 0;
    do {
      int n = Math.min(MsrpSettings.CHUNK_OCTETS, total - at);
      byte[] chunk = java.util.Arrays.copyOfRange(body, at, at + n);
      boolean last = at + n == total;
      String tid = newId();
      sent.put(tid, new Outgoing(b.callId(), messageRef, last));
      write(MsrpWriter.send(tid, b.peerUri(), b.ourUri(), messageId,
          new ByteRange(at + 1, at + n, total), false, null, MessageTypes.CPIM, chunk,
          last ? '$' : '+'));
      at += n;
    } while (at < total);
  }

  private Binding byMsrpSession(String msrpSessionId) {
    return bindings.values().stream().filter(b -> b.msrpSessionId().equals(msrpSessionId))
        .findFirst().orElse(null);
  }

  private void respond(MsrpFrame request, int status, ReportFlags flags) {
    if (status == 200 ? !flags.answers200() : !flags.answersErrors()) {
      return;
    }
    List<String> to = request.path("To-Path");
    write(MsrpWriter.response(request, to.isEmpty() ? anyOurs() : to.get(to.size() - 1), status,
        reason(status)));
  }

  /** The peer may have closed first, which completes the queue already. */
  private void completeQuietly() {
    try {
      out.complete();
    } catch (IllegalStateException alreadyClosed) {
      // Nothing left to flush to a peer that has gone.
    }
  }

  private void write(MsrpFrame frame) {
    QueueOfferResult result;
    try {
      result = out.offer(ByteString.fromArray(MsrpWriter.write(frame)));
    } catch (IllegalStateException closed) {
      result = QueueOfferResult.closed();
    }
    if (result != QueueOfferResult.enqueued()) {
      getContext().getLog().warn("MSRP connection from {}: peer does not read; closing", remote);
      getContext().stop(getContext().getSelf());
    }
  }

  private String anyPeer() {
    return bindings.values().stream().map(Binding::peerUri).findFirst().orElse("");
  }

  private String anyOurs() {
    return bindings.values().stream().map(Binding::ourUri).findFirst().orElse("");
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Unintelligible";
      case 403 -> "Action not allowed";
      case 408 -> "Timeout";
      case 413 -> "Message too large";
      case 415 -> "Unsupported media type";
      case 481 -> "Session does not exist";
      case 501 -> "Method not understood";
      default -> "Error";
    };
  }

  private static String newId() {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * A WARN line for a refusal the peer caused, for the first
   * {@code ipsmgw.msrp.logged-refusals-per-connection} on this connection only: each line is
   * bounded, and so is their number, so no peer floods the log.
   */
  private void refusal(String format, Object... args) {
    refusals++;
    if (refusals <= settings.loggedRefusals()) {
      getContext().getLog().warn(format, args);
    }
    if (refusals == settings.loggedRefusals()) {
      getContext().getLog().warn("MSRP connection from {}: {} refusals; further ones on this "
          + "connection are not logged", remote, refusals);
    }
  }
}
