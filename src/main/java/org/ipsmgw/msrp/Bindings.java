package org.ipsmgw.msrp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipsmgw.RandomIds;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.MediaCommand;

/**
 * The chats one connection carries, by the path id of each (RFC 4975 lets sessions share a
 * connection), and the SENDs that wait while a chat is asked to confirm its path.
 */
final class Bindings {
  /** One chat's MSRP session on the connection. */
  record Binding(String callId, String msrpSessionId, OutboundFrames out,
      MessageAssembler assembler) {

    String pathId() {
      return new MsrpPathId(callId, msrpSessionId).encoded();
    }
  }

  private final Map<String, Binding> bound = new HashMap<>();
  private final Map<String, List<MsrpFrame>> waiting = new HashMap<>();
  /** By MSRP session id: chats asked to bind, and what they sent before the answer came. */
  private final Map<String, List<MediaCommand>> asked = new HashMap<>();
  /** The Call-IDs of the chats asked to bind (answered or not) and not released since. */
  private final Set<String> chats = new HashSet<>();
  private final Clock clock;
  private final int maxMessageOctets;

  Bindings(Clock clock, int maxMessageOctets) {
    this.clock = clock;
    this.maxMessageOctets = maxMessageOctets;
  }

  /** The binding of a path id, or null. */
  Binding get(String pathId) {
    return bound.get(pathId);
  }

  /** The chat confirmed the path: its session on this connection, between these two URIs. */
  Binding bind(MsrpPathId id, String ourUri, String peerUri, BindReply.Bound chat) {
    Binding b = new Binding(id.callId(), id.msrpSessionId(), new OutboundFrames(peerUri, ourUri,
        chat.cpmIdentity(), chat.smsMsisdn(), clock, RandomIds::token),
        new MessageAssembler(maxMessageOctets));
    bound.put(id.encoded(), b);
    return b;
  }

  /** Queues a SEND for a path not bound yet; true for the first, whose chat must be asked. */
  boolean await(String pathId, MsrpFrame send) {
    List<MsrpFrame> queued = waiting.get(pathId);
    if (queued != null) {
      queued.add(send);
      return false;
    }
    waiting.put(pathId, new ArrayList<>(List.of(send)));
    return true;
  }

  /** The chat answered: the SENDs that waited for it, in arrival order. */
  List<MsrpFrame> answered(String pathId) {
    List<MsrpFrame> queued = waiting.remove(pathId);
    return queued == null ? List.of() : queued;
  }

  /** The chat of {@code id} is asked to bind; it may send before it answers. */
  void asking(MsrpPathId id) {
    asked.putIfAbsent(id.msrpSessionId(), new ArrayList<>());
    chats.add(id.callId());
  }

  /**
   * The chats this connection attached itself to, or may have (a bind still unanswered): the
   * ones told when it closes in order.
   */
  Set<String> chats() {
    return Set.copyOf(chats);
  }

  /** The chat refused the bind: it did not attach, so it is not told of the close either. */
  void refused(MsrpPathId id) {
    if (bound.values().stream().noneMatch(b -> b.callId().equals(id.callId()))) {
      chats.remove(id.callId());
    }
  }

  /** The chat ended: its session is no longer carried here, and it is not told of the close. */
  void release(String callId) {
    chats.remove(callId);
    bound.values().removeIf(b -> b.callId().equals(callId));
  }

  /**
   * Holds a chat's command that overtook the chat's answer to the bind (they travel separate
   * ways); false when no bind of that session is asked, and the command has nowhere to go.
   */
  boolean holdUntilBound(String msrpSessionId, MediaCommand command) {
    List<MediaCommand> held = asked.get(msrpSessionId);
    if (held == null) {
      return false;
    }
    held.add(command);
    return true;
  }

  /** The chat answered the bind: what it sent before, in order (dropped if it refused). */
  List<MediaCommand> heldUntilBound(String msrpSessionId) {
    List<MediaCommand> held = asked.remove(msrpSessionId);
    return held == null ? List.of() : held;
  }

  /** The binding of a chat's MSRP session, or null. */
  Binding bySession(String msrpSessionId) {
    return bound.values().stream().filter(b -> b.msrpSessionId().equals(msrpSessionId))
        .findFirst().orElse(null);
  }

  /** Some bound peer's URI, for answering a frame too broken to name its session; or "". */
  String anyPeer() {
    return bound.values().stream().map(b -> b.out().peerUri()).findFirst().orElse("");
  }

  /** Some path URI of ours, likewise; or "". */
  String anyOurs() {
    return bound.values().stream().map(b -> b.out().ourUri()).findFirst().orElse("");
  }
}
