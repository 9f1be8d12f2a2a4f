package org.ipsmgw.node;

import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.session.MediaCommand;
import org.ipsmgw.session.MsrpPort;
import org.ipsmgw.session.SessionPorts;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SipRequest;
import org.ipsmgw.session.SipResponse;
import org.ipsmgw.session.SmsPort;
import org.ipsmgw.session.SmsSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session ports of an edge that is not running (SIP in this build, any edge that is disabled): every decision is
 * logged with its session id, so an operator sees what would go on the wire. Texts are not logged
 * (subscriber content), only their length.
 */
final class UnwiredPorts implements SipPort, MsrpPort, SmsPort {
  private static final Logger LOG = LoggerFactory.getLogger(UnwiredPorts.class);

  static SessionPorts create() {
    UnwiredPorts p = new UnwiredPorts();
    return new SessionPorts(p, p, p);
  }


  @Override
  public void respond(SipResponse r) {
    LOG.info("[session {}] SIP response {} {} (no SIP edge in this build)", r.sessionId(),
        r.status(), r.reason());
  }

  @Override
  public void request(SipRequest r) {
    LOG.info("[session {}] SIP {} (no SIP edge in this build)", r.sessionId(), r.method());
  }

  @Override
  public void message(SipMessageRequest m) {
    LOG.info("[pager {}] SIP MESSAGE {} to {} (no SIP edge in this build)", m.conversationKey(),
        m.messageRef(), m.target());
  }

  @Override
  public void deliver(ActorRef<MediaCommand> connection, MediaCommand c) {
    // No MSRP edge, no connection ever attaches: nothing comes here; logged should it ever.
    LOG.info("MSRP {} (no MSRP edge in this build)", c.getClass().getSimpleName());
  }

  @Override
  public void submit(SmsSubmission s) {
    LOG.info("[session {}] SMS {} from {} to {}, {} chars (no SMPP edge in this build)",
        s.sessionId(), s.messageRef(), s.source(), s.destination(), s.text().length());
  }
}
