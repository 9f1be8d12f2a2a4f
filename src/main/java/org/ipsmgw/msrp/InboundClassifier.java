package org.ipsmgw.msrp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.CpimMessages;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.cpim.MessageTypes;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SmsLimit;

/**
 * Decides what a complete inbound SEND is (see {@link InboundMessage}) from its media type and
 * body alone: only text becomes SMS, and only text that fits the SMS limit, so whatever the
 * chat would refuse is refused before anything is persisted.
 */
public final class InboundClassifier {
  private final SmsLimit limit;

  public InboundClassifier(SmsLimit limit) {
    this.limit = limit;
  }

  public InboundMessage classify(MessageAssembler.Complete message) {
    String type = MessageTypes.base(message.contentType());
    if (type.equals(MessageTypes.CPIM)) {
      return cpim(message);
    }
    if (MessageTypes.isComposing(type)) {
      return new InboundMessage.Composing();
    }
    if (type.equals(MessageTypes.TEXT)) {
      return text(new String(message.body(), StandardCharsets.UTF_8), message.messageId(),
          ReceiptRequest.NONE, false);
    }
    return new InboundMessage.Unsupported(type);
  }

  private InboundMessage cpim(MessageAssembler.Complete message) {
    CpimMessage cpim;
    try {
      cpim = CpimCodec.parse(message.body());
    } catch (IllegalArgumentException e) {
      return new InboundMessage.BadCpim(e.getMessage());
    }
    String inner = cpim.contentType();
    if (MessageTypes.isComposing(inner)) {
      return new InboundMessage.Composing();
    }
    if (inner.equals(ImdnXml.CONTENT_TYPE)) {
      return new InboundMessage.Notification();
    }
    if (!MessageTypes.becomesSms(inner)) {
      return new InboundMessage.Unsupported(inner);
    }
    Optional<String> imdnId = cpim.imdnMessageId();
    return text(cpim.bodyText(), imdnId.orElse(message.messageId()),
        CpimMessages.receiptRequest(cpim),
        imdnId.isPresent() && CpimMessages.wantsInterworkingNotice(cpim));
  }

  private InboundMessage text(String text, String imdnMessageId, ReceiptRequest receipt,
      boolean interworkingNotice) {
    Optional<Refusal> tooLong = limit.tooLong(text);
    if (tooLong.isPresent()) {
      return new InboundMessage.TooLong(tooLong.get().reason());
    }
    return new InboundMessage.ChatText(text, imdnMessageId, receipt, interworkingNotice);
  }
}
