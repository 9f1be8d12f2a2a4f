package org.ipsmgw.pager;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.HandOff;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessages;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SmsPort;
import org.ipsmgw.session.SmsSubmission;

/**
 * What a pager conversation sends through its edges, always for a message it has stored: the SMS
 * a CPM message becomes, the MESSAGE an SMS becomes, and the IMDN notices the CPM sender asked
 * for ({@link PagerNotice}). Each goes from the number the other side knows: SMS from the CPM
 * user's, MESSAGEs from the SMS user's.
 */
final class PagerOutbound {
  private final String id;
  private final PagerKey key;
  private final SipPort sip;
  private final SmsPort sms;
  private final Clock clock;

  /** The edge answers this incarnation itself; a stop waits for what it has not answered. */
  private final ActorRef<PagerCommand> self;
  private final HandOff<PagerCommand> handOff;

  PagerOutbound(String id, PagerKey key, SipPort sip, SmsPort sms, Clock clock,
      ActorRef<PagerCommand> self, HandOff<PagerCommand> handOff) {
    this.self = self;
    this.handOff = handOff;
    this.id = id;
    this.key = key;
    this.sip = sip;
    this.sms = sms;
    this.clock = clock;
  }

  /** A stored message sent (again, after recovery) the way its direction goes. */
  void send(PagerMessage m) {
    if (m.direction() == Direction.TO_SMS) {
      submit(m);
    } else {
      sendToCpm(m);
    }
  }

  void submit(PagerMessage m) {
    handOff.submitted(m.ref());
    sms.submit(new SmsSubmission(id, m.ref(), key.cpmMsisdn(), key.smsMsisdn(), m.text(),
        m.receipt(), null, self));
  }

  void sendToCpm(PagerMessage m) {
    OffsetDateTime now = now();
    byte[] body = CpimCodec.write(CpimMessages.chat(key.smsMsisdn(), m.target(), now,
        m.imdnMessageId(), m.text()));
    sip.message(new SipMessageRequest(id, m.ref(), m.target(), key.smsMsisdn(), m.ids(), body));
  }

  /**
   * An owed IMDN to the CPM sender, as a MESSAGE in its conversation; sent again the same, with
   * the Message-ID and DateTime it was given when it became owed.
   */
  void send(PagerNotice n) {
    OffsetDateTime at = n.at().atOffset(ZoneOffset.UTC);
    Imdn imdn = new Imdn(n.aboutMessageId(), at.toString(), null, n.kind(), n.status());
    byte[] body = CpimCodec.write(CpimMessages.notification(key.smsMsisdn(), n.target(), at,
        n.imdnMessageId(), imdn));
    sip.message(new SipMessageRequest(id, n.ref(), n.target(), key.smsMsisdn(), n.ids(), body));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
