package org.ipsmgw.sip;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import javax.sdp.SdpException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.Parties;
import org.ipsmgw.subscriber.Msisdn;

/**
 * Reads a CPM chat INVITE into an {@link Invitation}, or says which final error it gets: 488 for
 * a non-CPM INVITE (unless configured otherwise), for SDP without MSRP media, without a path or
 * without a type we carry; 400 for missing CPM identifiers in strict mode.
 */
public final class InviteReader {
  private final SipSettings settings;

  public InviteReader(SipSettings settings) {
    this.settings = settings;
  }

  public InviteReading read(Request invite, Instant now) {
    boolean cpm = CpmHeaders.namesService(invite, Cpm::namesSession);
    if (!cpm && !settings.treatNonCpmAsCpm()) {
      return new InviteReading.Refuse(488, "Not a CPM chat invitation");
    }
    String sdp = invite.getRawContent() == null ? ""
        : new String(invite.getRawContent(), StandardCharsets.UTF_8);
    SdpMedia msrp;
    try {
      msrp = SdpMedia.read(sdp).orElse(null);
    } catch (SdpException e) {
      // The parser's text quotes the offer: cut short and escaped, as it goes to the peer and
      // the log.
      return new InviteReading.Refuse(488, "Unreadable SDP: " + SipText.bounded(e.getMessage()));
    }
    if (msrp == null) {
      return new InviteReading.Refuse(488, "No MSRP media (m=message ... TCP/MSRP)");
    }
    if (!msrp.carriesText()) {
      return new InviteReading.Refuse(488, "No acceptable accept-types (message/cpim, "
          + "text/plain)");
    }
    if (msrp.path() == null) {
      return new InviteReading.Refuse(488, "MSRP media without a=path");
    }
    if (msrp.passive() && !msrp.connectable()) {
      // The gateway will connect to this path: its last hop must be reachable.
      return new InviteReading.Refuse(488, "a=setup:passive with an unusable a=path");
    }
    CpmHeaders.Ids read = CpmHeaders.ids(invite, settings.strictIds());
    if (read.missing() != null) {
      return new InviteReading.Refuse(400, "Missing " + read.missing());
    }
    CpmIdentifiers ids = read.ids();
    boolean generated = read.generated();
    FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
    HeaderAddress asserted = (HeaderAddress) invite.getHeader("P-Asserted-Identity");
    Address cpmAddress = asserted != null ? asserted.getAddress() : from.getAddress();
    String cpmMsisdn = number(cpmAddress.getURI()).orElse(null);
    String smsUser = number(invite.getRequestURI()).orElse(userPart(invite.getRequestURI()));
    boolean anonymous = CpmHeaders.anonymous(invite);
    ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
    if (contact == null || contact.getAddress() == null) {
      // RFC 3261 §8.1.1.8: an INVITE must say where the dialog's requests go. The RI drops a
      // Contact it cannot parse, so a garbled one arrives here as none.
      return new InviteReading.Refuse(400, "Missing or malformed Contact");
    }
    InviteContext context = new InviteContext(invite.getRequestURI().toString(),
        SipText.values(invite, "Via"), SipText.value(invite, FromHeader.NAME),
        SipText.value(invite, ToHeader.NAME),
        ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(),
        ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber(), from.getTag(),
        contact.getAddress().getURI().toString(),
        SipText.values(invite, "Record-Route"));
    Parties parties = new Parties(cpmAddress.getURI().toString(), cpmMsisdn,
        from.getAddress().getDisplayName(), smsUser);
    return new InviteReading.Chat(new Invitation(context.callId(), ids, parties, context, sdp,
        anonymous, now), msrp.setup(), msrp.path(), generated);
  }

  /** The E.164 number of a tel: URI or a sip: URI whose user part is one. */
  static Optional<String> number(URI uri) {
    if (uri instanceof TelURL tel) {
      return Msisdn.normalise((tel.isGlobal() ? "+" : "") + tel.getPhoneNumber());
    }
    if (uri instanceof SipURI sip && sip.getUser() != null) {
      return sip.getUser().startsWith("+") ? Msisdn.normalise(sip.getUser()) : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * A Request-URI user that is no E.164 number is only ever named in the 404 and its log line:
   * cut short and escaped.
   */
  private static String userPart(URI uri) {
    return SipText.bounded(uri instanceof SipURI sip && sip.getUser() != null ? sip.getUser()
        : uri.toString());
  }
}
