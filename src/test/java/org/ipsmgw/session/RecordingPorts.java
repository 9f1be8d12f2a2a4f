package org.ipsmgw.session;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** Session ports that hand every effect to one probe, in the order the entity emitted them. */
public final class RecordingPorts implements SipPort, MsrpPort, SmsPort {
  private static final AtomicInteger MARKERS = new AtomicInteger();
  public final TestProbe<Object> effects;
  /** re-INVITEs that restore the media path on recovery, kept apart from the other effects. */
  public final TestProbe<SipRequest> reinvites;

  public RecordingPorts(ActorTestKit testKit) {
    this.effects = testKit.createTestProbe();
    this.reinvites = testKit.createTestProbe();
  }

  public SessionPorts ports() {
    return new SessionPorts(this, this, this);
  }

  @Override
  public void respond(SipResponse response) {
    effects.ref().tell(response);
  }

  @Override
  public void request(SipRequest request) {
    if (request.method().equals("INVITE")) {
      reinvites.ref().tell(request);
      return;
    }
    effects.ref().tell(request);
  }

  @Override
  public void message(SipMessageRequest message) {
    effects.ref().tell(message);
  }

  @Override
  public void send(MsrpMessage message) {
    effects.ref().tell(message);
  }

  @Override
  public void notifyDelivery(DeliveryNotice notice) {
    effects.ref().tell(notice);
  }

  @Override
  public void submit(SmsSubmission submission) {
    effects.ref().tell(submission);
  }

  public SipResponse expectResponse(int status) {
    SipResponse r = effects.expectMessageClass(SipResponse.class);
    if (r.status() != status) {
      throw new AssertionError("expected SIP " + status + " but got " + r.status() + " " + r.reason());
    }
    return r;
  }

  /** The next SIP response of one session, skipping other sessions' effects (shared nodes). */
  public SipResponse awaitResponse(String sessionId) {
    return (SipResponse) fish(m -> m instanceof SipResponse r && r.sessionId().equals(sessionId));
  }

  /** The next gateway-originated request of one session (BYE, MESSAGE), skipping others. */
  public SipRequest awaitRequest(String sessionId, String method) {
    return (SipRequest) fish(m -> m instanceof SipRequest r && r.sessionId().equals(sessionId)
        && r.method().equals(method));
  }

  private Object fish(java.util.function.Predicate<Object> wanted) {
    java.util.List<Object> seen = effects.fishForMessage(java.time.Duration.ofSeconds(10),
        m -> wanted.test(m) ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    return seen.get(seen.size() - 1);
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
