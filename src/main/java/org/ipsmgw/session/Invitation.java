package org.ipsmgw.session;

import java.time.Instant;
import org.ipsmgw.CborSerializable;

/**
 * A CPM chat invitation as the SIP edge hands it to the session.
 *
 * @param sessionId the SIP Call-ID, which is also the ChatSession entity id
 * @param sdpOffer the SDP offer, verbatim
 * @param anonymous the CPM user asked to hide its identity (Privacy: id / anonymous From)
 */
public record Invitation(String sessionId, CpmIdentifiers ids, Parties parties, InviteContext sip,
    String sdpOffer, boolean anonymous, Instant receivedAt) implements CborSerializable {

  /**
   * Without its offer, which nothing reads once the dialog is confirmed: an idle chat need not
   * hold a few hundred characters of SDP (the journal's event keeps it).
   */
  public Invitation withoutOffer() {
    return sdpOffer == null ? this
        : new Invitation(sessionId, ids, parties, sip, null, anonymous, receivedAt);
  }
}
