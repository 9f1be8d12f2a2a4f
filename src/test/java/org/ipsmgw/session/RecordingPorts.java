package org.ipsmgw.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The one test stand-in for the session ports ({@link SipPort}, {@link MsrpPort},
 * {@link SmsPort}): every effect a session emits is recorded under its session id, for tests
 * on a node that many chats share ({@link #await}), and, when built with a test kit, also on a
 * probe in the order the entities emitted it, for entity tests that expect each effect in turn
 * ({@link #effects}, {@link #expectNoMoreEffects}). A node can have all its ports recorded, or
 * only some, with its own edges for the rest.
 */
public final class RecordingPorts implements SipPort, MsrpPort, SmsPort {
  private static final AtomicInteger MARKERS = new AtomicInteger();
  private static final Duration AWAIT = Duration.ofSeconds(10);

  /** Every effect but re-INVITEs, in emission order; null without a test kit. */
  public final TestProbe<Object> effects;
  /** re-INVITEs that restore the media path on recovery, kept apart from the other effects. */
  public final TestProbe<SipRequest> reinvites;
  private final Map<String, BlockingQueue<Object>> bySession = new ConcurrentHashMap<>();

  /** Records per session only: for tests that {@link #await} each session's effects. */
  public RecordingPorts() {
    this.effects = null;
    this.reinvites = null;
  }

  /** Records per session and on the test kit's probes. */
  public RecordingPorts(ActorTestKit testKit) {
    this.effects = testKit.createTestProbe();
    this.reinvites = testKit.createTestProbe();
  }

  /** Every port recorded: a node without edges, or one entity under test. */
  public SessionPorts ports() {
    return new SessionPorts(this, this, this);
  }

  /** SIP and MSRP recorded; the node's own SMPP edge. */
  public SessionPorts sipAndMsrp(SessionPorts edges) {
    return new SessionPorts(this, this, edges.sms());
  }

  /** SIP and SMS recorded; the node's own MSRP endpoint. */
  public SessionPorts sipAndSms(SessionPorts edges) {
    return new SessionPorts(this, edges.msrp(), this);
  }

  /** SIP recorded; the node's own MSRP endpoint and SMPP edge. */
  public SessionPorts sip(SessionPorts edges) {
    return new SessionPorts(this, edges.msrp(), edges.sms());
  }

  @Override
  public void respond(SipResponse response) {
    record(response.sessionId(), response);
  }

  @Override
  public void request(SipRequest request) {
    bySession(request.sessionId(), request);
    if (reinvites != null && request.method().equals("INVITE")) {
      reinvites.ref().tell(request);
    } else if (effects != null) {
      effects.ref().tell(request);
    }
  }

  @Override
  public void message(SipMessageRequest message) {
    record(message.conversationKey(), message);
  }

  /**
   * Records what a chat sends its attached connection (the {@link MsrpMessage} or
   * {@link DeliveryNotice}), then tells the connection, so a test can also see which connection
   * got it.
   */
  @Override
  public void deliver(ActorRef<MediaCommand> connection, MediaCommand command) {
    if (command instanceof MediaCommand.Deliver d) {
      record(d.message().sessionId(), d.message());
    } else if (command instanceof MediaCommand.Notify n) {
      record(n.notice().sessionId(), n.notice());
    }
    connection.tell(command);
  }

  /**
   * A connection that takes whatever a chat sends it, for tests on a node whose MSRP port is
   * recorded: attach it ({@link ChatSessionCommand.BindMedia}) to see a chat's messages.
   */
  public static ActorRef<MediaCommand> connection(ActorSystem<?> system) {
    return system.systemActorOf(Behaviors.<MediaCommand>ignore(),
        "recorded-msrp-connection-" + MARKERS.incrementAndGet(), Props.empty());
  }

  @Override
  public void submit(SmsSubmission submission) {
    record(submission.sessionId(), submission);
  }

  private void record(String sessionId, Object effect) {
    bySession(sessionId, effect);
    if (effects != null) {
      effects.ref().tell(effect);
    }
  }

  private void bySession(String sessionId, Object effect) {
    if (sessionId != null) {
      queue(sessionId).add(effect);
    }
  }

  private BlockingQueue<Object> queue(String sessionId) {
    return bySession.computeIfAbsent(sessionId, id -> new LinkedBlockingQueue<>());
  }

  // --- per session ---

  /** The next effect of the session of the given type; earlier effects of other types skipped. */
  public <T> T await(String sessionId, Class<T> type, Duration timeout)
      throws InterruptedException {
    return type.cast(await(sessionId, type::isInstance, type.getSimpleName(), timeout));
  }

  /** The next SIP response of one session, skipping its other effects. */
  public SipResponse awaitResponse(String sessionId) throws InterruptedException {
    return await(sessionId, SipResponse.class, AWAIT);
  }

  /** The next gateway-originated request of one session (BYE, MESSAGE), skipping others. */
  public SipRequest awaitRequest(String sessionId, String method) throws InterruptedException {
    return (SipRequest) await(sessionId, e -> e instanceof SipRequest r
        && r.method().equals(method), method, AWAIT);
  }

  private Object await(String sessionId, Predicate<Object> wanted, String what,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Object next = queue(sessionId).poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError("no " + what + " for session " + sessionId + " within "
            + timeout);
      }
      if (wanted.test(next)) {
        return next;
      }
    }
  }

  // --- in emission order, on the probes ---

  public SipResponse expectResponse(int status) {
    SipResponse r = effects.expectMessageClass(SipResponse.class);
    if (r.status() != status) {
      throw new AssertionError("expected SIP " + status + " but got " + r.status() + " "
          + r.reason());
    }
    return r;
  }

  public SmsSubmission expectSms() {
    return effects.expectMessageClass(SmsSubmission.class);
  }

  /**
   * Fails naming the first effect still on either probe from what the entity has handled so far.
   * {@code barrier} must return only once the entity has handled everything already in its
   * mailbox (a query command run through the testkit). A local tell enqueues at once and a
   * mailbox is FIFO, so every effect of those messages was told before the barrier returned, and
   * a marker told now from the test thread comes after all of them: if the marker is the next
   * message, nothing was emitted. An effect that comes from an answer still travelling to the
   * entity (an ask) is not covered: the caller first waits for that answer to be handled.
   */
  public void expectNoMoreEffects(Runnable barrier) {
    barrier.run();
    int n = MARKERS.incrementAndGet();
    Marker effect = new Marker(n);
    // A method no session sends: the re-INVITE probe only takes SIP requests.
    SipRequest reinvite = new SipRequest(effect.toString(), "MARKER", null, null, null, null);
    effects.ref().tell(effect);
    reinvites.ref().tell(reinvite);
    effects.expectMessage(effect);
    reinvites.expectMessage(reinvite);
  }

  /** What {@link #expectNoMoreEffects} tells the probes after the barrier. */
  public record Marker(int n) {}
}
