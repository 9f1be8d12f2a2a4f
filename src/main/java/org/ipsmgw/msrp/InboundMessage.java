package org.ipsmgw.msrp;

import org.ipsmgw.PeerText;
import org.ipsmgw.session.ReceiptRequest;

/**
 * What a complete inbound MSRP message is to the gateway, decided before anything is persisted:
 * a text for the SMS user, something consumed here with a 200, or a refusal with its status.
 */
public sealed interface InboundMessage {

  /**
   * A text the chat stores and sends on as SMS; answered 200 once stored.
   *
   * @param imdnMessageId the CPIM imdn.Message-ID, or the MSRP Message-ID when there is none
   * @param interworkingNotice the sender asked to learn that the text leaves CPM (and gave an
   *     imdn.Message-ID the notice can name)
   */
  record ChatText(String text, String imdnMessageId, ReceiptRequest receipt,
      boolean interworkingNotice) implements InboundMessage {}

  /** isComposing (RFC 3994), bare or in CPIM: the SMS user has no use for it. */
  record Composing() implements InboundMessage {}

  /**
   * An IMDN in CPIM (the CPM user's phone reporting delivery or display of the SMS user's
   * message): the SMS side has no receipt to turn it into.
   */
  record Notification() implements InboundMessage {}

  /** The message is answered {@code status}; {@code reason} says why, for the log. */
  sealed interface Refused extends InboundMessage {
    int status();

    String reason();
  }

  /** The message/cpim body cannot be read. */
  record BadCpim(String problem) implements Refused {
    @Override
    public int status() {
      return MsrpStatus.UNINTELLIGIBLE;
    }

    @Override
    public String reason() {
      return "bad CPIM: " + problem;
    }
  }

  /** Neither text nor anything the gateway consumes, bare or in CPIM. */
  record Unsupported(String contentType) implements Refused {
    @Override
    public int status() {
      return MsrpStatus.UNSUPPORTED_MEDIA;
    }

    @Override
    public String reason() {
      return "unsupported type '" + PeerText.bounded(contentType) + "'";
    }
  }

  /** More SMS parts than the operator policy allows ({@code reason} from the SMS limit). */
  record TooLong(String reason) implements Refused {
    @Override
    public int status() {
      return MsrpStatus.TOO_LARGE;
    }
  }
}
