package org.ipsmgw.msrp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;
import org.ipsmgw.PeerText;
import org.ipsmgw.msrp.Bindings.Binding;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.slf4j.Logger;

/**
 * What the gateway sends on one connection toward the CPM users (composed by each binding's
 * {@link OutboundFrames}), and its SENDs until the peer answers them: the 200 to the last chunk
 * of a chat's message or IMDN confirms it to the chat ({@code MsrpDelivered}); any other answer is
 * logged, and the message stays owed in its chat, which sends it again to the next connection
 * that attaches.
 */
final class Outbox {
  /** {@code confirms}: the chat's reference the last chunk's 200 confirms, or null. */
  private record Pending(String callId, String confirms, boolean last) {}

  private final Map<String, Pending> byTransaction = new HashMap<>();
  private final Consumer<MsrpFrame> write;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final Logger log;
  private final MsrpMetrics metrics;

  Outbox(Consumer<MsrpFrame> write,
      Function<String, RecipientRef<ChatSessionCommand>> sessions, Logger log,
      MsrpMetrics metrics) {
    this.write = write;
    this.sessions = sessions;
    this.log = log;
    this.metrics = metrics;
  }

  /** The gateway opened the connection: the empty SEND that lets the peer bind it. */
  void bound(Binding b) {
    send(b, null, List.of(b.out().bindingSend()));
  }

  /** The chat stored the CPM user's message, which was answered 200: what its sender asked. */
  void stored(Binding b, MessageAssembler.Complete message, InboundMessage.ChatText text) {
    if (message.flags().successReport()) {
      write.accept(b.out().successReport(message.messageId(), message.body().length));
      metrics.report(true, true);
    }
    if (text.interworkingNotice()) {
      // The sender asked to learn that its message leaves CPM: it goes on as SMS.
      send(b, null, b.out().interworkingNotice(text.imdnMessageId()));
    }
  }

  /** An SMS user's message; its last chunk's 200 confirms it to the chat. */
  void message(Binding b, MsrpMessage m) {
    send(b, m.messageRef(), b.out().chat(m.fromMsisdn(), m.sentAt(), m.text(), m.messageId()));
  }

  /**
   * What the CPM user is owed about one of its messages; the IMDN's 200 confirms it to the chat.
   * A failure REPORT alone is confirmed once written: REPORTs get no response (RFC 4975 §7.1.2).
   */
  void notice(Binding b, DeliveryNotice n) {
    if (n.msrpMessageId() != null) {
      // The 200 went out when the chat stored the message; the SMS failed after (§7.1.4).
      write.accept(b.out().failureReport(n.msrpMessageId()));
      metrics.report(true, false);
    }
    if (n.imdnMessageId() != null) {
      send(b, n.messageRef(), b.out().deliveryNotice(n.imdnMessageId(), n.delivered(),
          n.noticeId()));
    } else if (n.messageRef() != null) {
      confirm(b.callId(), n.messageRef());
    }
  }

  private void confirm(String callId, String ref) {
    sessions.apply(callId).tell(new ChatSessionCommand.MsrpDelivered(ref));
  }

  /** The peer answered; a response to no SEND of ours is ignored. */
  void answered(MsrpFrame response) {
    Pending p = byTransaction.remove(response.transactionId());
    if (p == null) {
      return;
    }
    metrics.send(false, response.status());
    if (response.status() == MsrpStatus.OK && p.last() && p.confirms() != null) {
      confirm(p.callId(), p.confirms());
    } else if (response.status() != MsrpStatus.OK) {
      SessionMdc.run(p.callId(), () -> log.warn(
          "[session {}] MSRP peer answered {} {} to chunk of {}", p.callId(), response.status(),
          PeerText.bounded(response.comment()), p.confirms()));
    }
  }

  /** SENDs still unanswered. */
  int unanswered() {
    return byTransaction.size();
  }

  /** {@code confirms} is the chat's reference to confirm, or null when nothing waits. */
  private void send(Binding b, String confirms, List<MsrpFrame> chunks) {
    for (MsrpFrame chunk : chunks) {
      byTransaction.put(chunk.transactionId(),
          new Pending(b.callId(), confirms, chunk.flag() == '$'));
      write.accept(chunk);
    }
  }
}
