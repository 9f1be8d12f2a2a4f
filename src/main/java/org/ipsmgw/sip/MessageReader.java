package org.ipsmgw.sip;

import java.nio.charset.StandardCharsets;
import javax.sip.address.Address;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.message.Request;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.CpimMessages;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.cpim.MessageTypes;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.ReceiptRequest;

/**
 * Reads a SIP MESSAGE toward an SMS user (CPM standalone message, OMA CPM {@code cpm.msg}):
 * the feature tag, the CPM identifiers (strict or lenient, as for INVITE), sender and recipient
 * numbers, and a text an SMS can carry.
 */
final class MessageReader {
  private final SipSettings settings;

  MessageReader(SipSettings settings) {
    this.settings = settings;
  }

  MessageReading read(Request message) {
    boolean cpm = CpmHeaders.namesService(message, Cpm::namesMessage);
    if (!cpm && !settings.treatNonCpmAsCpm()) {
      return new MessageReading.Refuse(488, "Not a CPM standalone message");
    }
    CpmHeaders.Ids read = CpmHeaders.ids(message, settings.strictIds());
    if (read.missing() != null) {
      return new MessageReading.Refuse(400, "Missing " + read.missing());
    }
    CpmIdentifiers ids = read.ids();
    FromHeader from = (FromHeader) message.getHeader(FromHeader.NAME);
    HeaderAddress asserted = (HeaderAddress) message.getHeader("P-Asserted-Identity");
    Address sender = asserted != null ? asserted.getAddress() : from.getAddress();
    boolean anonymous = CpmHeaders.anonymous(message);
    if (anonymous && asserted == null) {
      // Replies must reach the sender, whose identity only the network may assert.
      return new MessageReading.Refuse(403, "Anonymous sender without P-Asserted-Identity");
    }
    String cpmMsisdn = anonymous ? null : InviteReader.number(sender.getURI()).orElse(null);
    if (cpmMsisdn == null && !anonymous) {
      return new MessageReading.Refuse(403, "Sender has no E.164 number an SMS can come from");
    }
    String smsMsisdn = InviteReader.number(message.getRequestURI()).orElse(null);
    if (smsMsisdn == null) {
      return new MessageReading.Refuse(404, "Request-URI names no E.164 SMS user");
    }
    return body(message, sender.getURI().toString(), cpmMsisdn, smsMsisdn, ids, anonymous);
  }

  private static MessageReading body(Request message, String identity, String cpmMsisdn,
      String smsMsisdn, CpmIdentifiers ids, boolean anonymous) {
    byte[] raw = message.getRawContent() == null ? new byte[0] : message.getRawContent();
    ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
    String contentType = type == null ? "" : MessageTypes.base(
        type.getContentType() + "/" + type.getContentSubType());
    String text;
    String imdnId = null;
    ReceiptRequest receipt = ReceiptRequest.NONE;
    boolean interworking = false;
    if (contentType.equals(MessageTypes.CPIM)) {
      CpimMessage cpim;
      try {
        cpim = CpimCodec.parse(raw);
      } catch (IllegalArgumentException e) {
        return new MessageReading.Refuse(400, "Bad CPIM: " + SipText.bounded(e.getMessage()));
      }
      if (MessageTypes.isComposing(cpim.contentType())
          || cpim.contentType().equals(ImdnXml.CONTENT_TYPE)) {
        return new MessageReading.Consumed(cpim.contentType());
      }
      if (!MessageTypes.becomesSms(cpim.contentType())) {
        return new MessageReading.Refuse(415, "Only text/plain can become SMS");
      }
      text = cpim.bodyText();
      imdnId = cpim.imdnMessageId().orElse(null);
      receipt = CpimMessages.receiptRequest(cpim);
      interworking = CpimMessages.wantsInterworkingNotice(cpim) && imdnId != null;
    } else if (MessageTypes.isComposing(contentType)) {
      return new MessageReading.Consumed(contentType);
    } else if (contentType.equals(MessageTypes.TEXT)) {
      text = new String(raw, StandardCharsets.UTF_8);
    } else {
      return new MessageReading.Refuse(415, "Only message/cpim or text/plain can become SMS");
    }
    if (text.isEmpty()) {
      return new MessageReading.Refuse(400, "Empty message");
    }
    return new MessageReading.Pager(identity, cpmMsisdn, smsMsisdn, ids, text, imdnId, receipt,
        interworking, anonymous);
  }
}
