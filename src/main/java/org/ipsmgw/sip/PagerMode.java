package org.ipsmgw.sip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerKey;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.subscriber.PagerAlias;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPM standalone messages on SIP (pager mode): an incoming MESSAGE to an SMS user is stored by
 * its pager conversation and answered 202 Accepted (the SMS is on its way, not delivered); the
 * gateway's own MESSAGEs to CPM users go out through the outbound proxy, and their final
 * responses go back to the conversation that sent them.
 */
final class PagerMode {
  private static final Logger LOG = LoggerFactory.getLogger(PagerMode.class);
  private static final Duration ASK = Duration.ofSeconds(5);

  /** What a MESSAGE the gateway sent belongs to, by Call-ID. */
  private record Sent(String conversationKey, String messageRef) {}

  private final SipGateway gateway;
  private final SipSettings settings;
  private final MessageReader reader;
  private final Function<String, RecipientRef<PagerCommand>> pagers;
  private final Function<String, RecipientRef<SmsSubscriberCommand>> subscribers;
  private final Scheduler scheduler;
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();

  PagerMode(SipGateway gateway, SipSettings settings,
      Function<String, RecipientRef<PagerCommand>> pagers,
      Function<String, RecipientRef<SmsSubscriberCommand>> subscribers, Scheduler scheduler) {
    this.gateway = gateway;
    this.settings = settings;
    this.reader = new MessageReader(settings);
    this.pagers = pagers;
    this.subscribers = subscribers;
    this.scheduler = scheduler;
  }

  // --- incoming MESSAGE -------------------------------------------------------------------------

  void onMessage(RequestEvent event) throws Exception {
    Request message = event.getRequest();
    MessageReading reading = reader.read(message);
    if (reading instanceof MessageReading.Refuse r) {
      LOG.info("SIP MESSAGE {} refused: {} {}", SipText.bounded(SipGateway.callId(message)),
          r.status(), SipText.bounded(r.reason()));
      gateway.reply(event, r.status(), r.reason());
      return;
    }
    if (reading instanceof MessageReading.Consumed) {
      gateway.reply(event, Response.OK, null);
      return;
    }
    MessageReading.Pager p = (MessageReading.Pager) reading;
    javax.sip.ServerTransaction st = gateway.serverTransaction(event);
    if (st == null) {
      return;
    }
    // An anonymous sender's SMS comes from a pool number the SMS user's subscriber assigns.
    CompletionStage<PagerAlias> shown = p.anonymous()
        ? AskPattern.<SmsSubscriberCommand, PagerAlias>ask(subscribers.apply(p.smsMsisdn()),
            replyTo -> new SmsSubscriberCommand.AssignPagerAlias(p.cpmIdentity(), replyTo), ASK,
            scheduler)
        : CompletableFuture.completedFuture(new PagerAlias.Assigned(p.cpmMsisdn()));
    shown.thenCompose(alias -> alias instanceof PagerAlias.Refused r
            ? CompletableFuture.<CommandReply>completedFuture(r.refusal())
            : AskPattern.<PagerCommand, CommandReply>ask(
                pagers.apply(new PagerKey(p.smsMsisdn(),
                    ((PagerAlias.Assigned) alias).number()).id()),
                replyTo -> new PagerCommand.FromCpm(p.cpmIdentity(), p.ids(), p.text(),
                    p.imdnMessageId(), p.receipt(), p.interworking(), replyTo), ASK, scheduler))
        .whenComplete((reply, failure) -> {
          String key = p.smsMsisdn() + " from " + p.cpmIdentity();
          try {
            if (reply instanceof CommandReply.Accepted) {
              gateway.respondIn(st, gateway.final_(message, Response.ACCEPTED, null));
            } else if (reply instanceof Refusal r) {
              gateway.respondIn(st, gateway.final_(message, r.status(), r.reason()));
            } else {
              LOG.warn("[pager {}] MESSAGE not stored in time: {}", key,
                  SipText.reason(failure));
              Response busy = gateway.final_(message, Response.SERVICE_UNAVAILABLE,
                  "Message not stored; try again");
              gateway.respondIn(st, busy);
            }
          } catch (Exception e) {
            LOG.warn("[pager {}] MESSAGE not answered: {}", key, SipText.reason(e));
          }
        });
  }

  // --- outgoing MESSAGE -------------------------------------------------------------------------

  void send(SipMessageRequest m, SipProvider provider, MessageFactory messages,
      HeaderFactory headers) {
    try {
      String route = settings.outboundProxy();
      if (route.isEmpty() && !m.target().startsWith("sip:")) {
        throw new IllegalStateException("no ipsmgw.sip.outbound-proxy to route " + m.target());
      }
      String transport = DialogTransport.param(route.isEmpty() ? m.target() : route)
          .orElse("tcp");
      String callId = SipGateway.random() + "@" + settings.host();
      byte[] body = m.cpim();
      StringBuilder text = new StringBuilder()
          .append("MESSAGE ").append(m.target()).append(" SIP/2.0\r\n")
          .append("Via: SIP/2.0/").append(transport.toUpperCase(java.util.Locale.ROOT))
          .append(' ').append(settings.host()).append(':').append(settings.port())
          .append(";branch=z9hG4bK").append(SipGateway.random()).append("\r\n")
          .append("Max-Forwards: 70\r\n")
          .append("From: <tel:").append(m.fromMsisdn()).append(">;tag=")
          .append(SipGateway.random()).append("\r\n")
          .append("To: <").append(m.target()).append(">\r\n")
          .append("Call-ID: ").append(callId).append("\r\n")
          .append("CSeq: 1 MESSAGE\r\n")
          .append("P-Asserted-Identity: <tel:").append(m.fromMsisdn()).append(">\r\n");
      if (!route.isEmpty()) {
        text.append("Route: <").append(route).append(">\r\n");
      }
      text.append("Content-Type: message/cpim\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n\r\n");
      Request request = messages.createRequest(text
          + new String(body, StandardCharsets.UTF_8));
      gateway.decorate(request, m.ids());
      request.addHeader(headers.createHeader(Cpm.P_ASSERTED_SERVICE, Cpm.MSG_ICSI));
      request.addHeader(headers.createHeader("Accept-Contact", "*;" + Cpm.MSG_TAG));
      ClientTransaction tx = provider.getNewClientTransaction(request);
      sent.put(callId, new Sent(m.conversationKey(), m.messageRef()));
      tx.sendRequest();
      LOG.info("[pager {}] SIP MESSAGE {} sent to {}", m.conversationKey(), m.messageRef(),
          m.target());
    } catch (Exception e) {
      LOG.warn("[pager {}] SIP MESSAGE {} to {} not sent: {}", m.conversationKey(),
          m.messageRef(), m.target(), SipText.reason(e));
      pagers.apply(m.conversationKey()).tell(new PagerCommand.SipAnswered(m.messageRef(), 503));
    }
  }

  /** A final response to one of our MESSAGEs; provisional ones change nothing. */
  void answered(Response response) {
    if (response.getStatusCode() < 200) {
      return;
    }
    Sent s = sent.remove(SipText.value(response, "Call-ID"));
    if (s != null) {
      pagers.apply(s.conversationKey()).tell(
          new PagerCommand.SipAnswered(s.messageRef(), response.getStatusCode()));
    }
  }

  /** Our MESSAGE got no final response in time (Timer F). */
  void timedOut(ClientTransaction tx) {
    Sent s = tx == null ? null : sent.remove(SipText.value(tx.getRequest(), "Call-ID"));
    if (s != null) {
      pagers.apply(s.conversationKey()).tell(new PagerCommand.SipAnswered(s.messageRef(), 408));
    }
  }

}
