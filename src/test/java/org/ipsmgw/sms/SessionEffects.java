package org.ipsmgw.sms;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.MsrpPort;
import org.ipsmgw.session.SessionPorts;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SipRequest;
import org.ipsmgw.session.SipResponse;

/** SIP and MSRP effects of a node's sessions, queued per session id for the test to await. */
final class SessionEffects implements SipPort, MsrpPort {
  private final Map<String, BlockingQueue<Object>> bySession = new ConcurrentHashMap<>();

  /** SIP and MSRP recorded here; the node's own SMPP edge. */
  SessionPorts with(SessionPorts edges) {
    return new SessionPorts(this, this, edges.sms());
  }

  private BlockingQueue<Object> queue(String sessionId) {
    return bySession.computeIfAbsent(sessionId, id -> new LinkedBlockingQueue<>());
  }

  /** The next effect of the session of the given type; earlier effects of other types skipped. */
  <T> T await(String sessionId, Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Object next = queue(sessionId).poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError("no " + type.getSimpleName() + " for session " + sessionId
            + " within " + timeout);
      }
      if (type.isInstance(next)) {
        return type.cast(next);
      }
    }
  }

  @Override
  public void respond(SipResponse r) {
    queue(r.sessionId()).add(r);
  }

  @Override
  public void request(SipRequest r) {
    queue(r.sessionId()).add(r);
  }

  @Override
  public void message(org.ipsmgw.session.SipMessageRequest m) {
    queue(m.conversationKey()).add(m);
  }

  @Override
  public void send(MsrpMessage m) {
    queue(m.sessionId()).add(m);
  }

  @Override
  public void notifyDelivery(DeliveryNotice n) {
    queue(n.sessionId()).add(n);
  }
}
