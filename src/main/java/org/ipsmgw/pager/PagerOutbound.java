package org.ipsmgw.pager;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.ipsmgw.RandomIds;
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
 * for. Each goes from the number the other side knows: SMS from the CPM user's, MESSAGEs from the
 * SMS user's.
 */
final class PagerOutbound {
  private final String id;
  private final PagerKey key;
  private final SipPort sip;
  private final SmsPort sms;
  private final Clock clock;

  PagerOutbound(String id, PagerKey key, SipPort sip, SmsPort sms, Clock clock) {
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
    sms.submit(new SmsSubmission(id, m.ref(), key.cpmMsisdn(), key.smsMsisdn(), m.text(),
        m.receipt()));
  }

  void sendToCpm(PagerMessage m) {
    OffsetDateTime now = now();
    byte[] body = CpimCodec.write(CpimMessages.chat(key.smsMsisdn(), m.target(), now,
        m.imdnMessageId(), m.text()));
    sip.message(new SipMessageRequest(id, m.ref(), m.target(), key.smsMsisdn(), m.ids(), body));
  }

  /** The delivery notification the CPM sender asked for, as a MESSAGE in its conversation. */
  void delivery(PagerState state, PagerMessage m, boolean delivered) {
    notice(state, m, Imdn.Kind.DELIVERY, delivered ? "delivered" : "failed");
  }

  /** An IMDN about {@code m} to the CPM sender; none when the message had no Message-ID. */
  void notice(PagerState state, PagerMessage m, Imdn.Kind kind, String status) {
    if (m.imdnMessageId() == null) {
      return;
    }
    OffsetDateTime now = now();
    Imdn imdn = new Imdn(m.imdnMessageId(), now.toString(), null, kind, status);
    byte[] body = CpimCodec.write(CpimMessages.notification(key.smsMsisdn(), state.cpmIdentity(),
        now, RandomIds.cpmId(), imdn));
    sip.message(new SipMessageRequest(id, m.ref() + "-" + kind.name().toLowerCase(Locale.ROOT),
        state.cpmIdentity(), key.smsMsisdn(), m.ids(), body));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
