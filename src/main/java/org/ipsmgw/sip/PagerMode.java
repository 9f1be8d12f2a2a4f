package org.ipsmgw.sip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.AnsweringThread;
import org.ipsmgw.LogContext;
import org.ipsmgw.OneBatchAtATime;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerKey;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmMessagesReply;
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

  /** Most MESSAGEs one conversation stores in one write. */
  private static final int MAX_BATCH = 32;

  /** An incoming MESSAGE waiting for its conversation's answer. */
  private record Waiting(MessageReading.Pager p, Request message, ServerTransaction st) {}

  /** What a MESSAGE the gateway sent belongs to, by Call-ID. */
  private record Sent(String conversationKey, String messageRef) {}

  /** The gateway's sending side: answers on their transactions, MESSAGEs in new ones. */
  private final Transactions gateway;
  private final SipRequests requests;
  private final MessageReader reader;
  private final Function<String, RecipientRef<PagerCommand>> pagers;
  private final Function<String, RecipientRef<SmsSubscriberCommand>> subscribers;
  private final Scheduler scheduler;
  /** Where an ask's answer is acted on ({@link SipGateway}: not a new thread per answer). */
  private final Executor answers;
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  /** Guarded by itself: SIP threads offer, answering threads take the next batch. */
  private final OneBatchAtATime<String, Waiting> batches = new OneBatchAtATime<>(MAX_BATCH);

  private final SipMetrics metrics;
  /** How long a MESSAGE waits for its conversation or alias: ipsmgw.sip.entity-timeout. */
  private final Duration entityTimeout;
  /** ipsmgw.sip.resend-after: a batch the conversation did not answer is given it again. */
  private final Duration resendAfter;

  PagerMode(Transactions gateway, SipRequests requests, SipSettings settings,
      Function<String, RecipientRef<PagerCommand>> pagers,
      Function<String, RecipientRef<SmsSubscriberCommand>> subscribers, Scheduler scheduler,
      Executor answers, SipMetrics metrics) {
    this.metrics = metrics;
    this.entityTimeout = settings.entityTimeout();
    this.resendAfter = settings.resendAfter();
    this.gateway = gateway;
    this.answers = answers;
    this.requests = requests;
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
    ServerTransaction st = gateway.serverTransaction(event);
    if (st == null) {
      return;
    }
    // An anonymous sender's SMS comes from a pool number the SMS user's subscriber assigns.
    // The MESSAGE is queued for its conversation on the thread that has the alias (this one, or
    // the subscriber's as it answers, in order), not on another: a MESSAGE handed to one of two
    // threads could reach its conversation after the one the client sent next (seen in the
    // busy-evening load).
    CompletionStage<PagerAlias> shown = p.anonymous()
        ? AskPattern.<SmsSubscriberCommand, PagerAlias>ask(subscribers.apply(p.smsMsisdn()),
            replyTo -> new SmsSubscriberCommand.AssignPagerAlias(p.cpmIdentity(), replyTo),
            entityTimeout, scheduler)
        : CompletableFuture.completedFuture(new PagerAlias.Assigned(p.cpmMsisdn()));
    shown.whenCompleteAsync((alias, failure) -> {
      Waiting w = new Waiting(p, message, st);
      if (alias instanceof PagerAlias.Assigned a) {
        offer(new PagerKey(p.smsMsisdn(), a.number()).id(), w);
      } else {
        if (failure != null) {
          metrics.askTimeout(Request.MESSAGE);
        }
        answer(w, alias instanceof PagerAlias.Refused r ? r.refusal() : null, failure);
      }
    }, AnsweringThread.RUN);
  }

  /**
   * To its conversation now, or behind the batch it is storing: one journal write for all that
   * waited, and the SMS in the order the MESSAGEs came.
   */
  private void offer(String conversation, Waiting w) {
    List<Waiting> now;
    synchronized (batches) {
      now = batches.offer(conversation, w);
    }
    if (!now.isEmpty()) {
      store(conversation, now);
    }
  }

  /**
   * A batch whose every MESSAGE has an imdn.Message-ID is given to its conversation again while
   * unanswered: the conversation takes each once by that id, and the next batch waits for this
   * answer. One without is asked once, since a copy of it would be sent as SMS twice.
   */
  private void store(String conversation, List<Waiting> batch) {
    boolean eachKnown = batch.stream().allMatch(w -> w.p().imdnMessageId() != null);
    org.ipsmgw.ResentAsk.<PagerCommand, CpmMessagesReply>ask(pagers.apply(conversation),
            replyTo -> new PagerCommand.FromCpmBatch(batch.stream().map(w -> new PagerCommand
                .FromCpm(w.p().cpmIdentity(), w.p().ids(), w.p().text(), w.p().imdnMessageId(),
                    w.p().receipt(), w.p().interworking(), null)).toList(), replyTo),
            eachKnown ? resendAfter : Duration.ZERO, entityTimeout, scheduler, () -> {
              metrics.askResent(Request.MESSAGE);
              LOG.debug("[pager {}] {} MESSAGE(s) given to the conversation again: not "
                  + "answered in {}", conversation, batch.size(), resendAfter);
            })
        .whenCompleteAsync((reply, failure) -> {
          if (failure != null) {
            // One ask, however many MESSAGEs it carried.
            metrics.askTimeout(Request.MESSAGE);
          }
          for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), reply == null ? null : reply.outcome(i).asCommandReply(),
                failure);
          }
          List<Waiting> next;
          synchronized (batches) {
            next = batches.answered(conversation);
          }
          if (!next.isEmpty()) {
            store(conversation, next);
          }
        }, answers);
  }

  /** 202 when stored, the refusal's status, or 503 when the conversation did not answer. */
  private void answer(Waiting w, CommandReply reply, Throwable failure) {
    String key = w.p().smsMsisdn() + " from " + w.p().cpmIdentity();
    try (LogContext.Scope mdc = SipMdc.call(SipGateway.callId(w.message()))) {
      if (reply instanceof CommandReply.Accepted) {
        gateway.respondIn(w.st(), gateway.final_(w.message(), Response.ACCEPTED, null));
      } else if (reply instanceof Refusal r) {
        gateway.respondIn(w.st(), gateway.final_(w.message(), r.status(), r.reason()));
      } else {
        LOG.warn("[pager {}] MESSAGE not stored in time: {}", key, SipText.reason(failure));
        Response busy = gateway.final_(w.message(), Response.SERVICE_UNAVAILABLE,
            "Message not stored; try again");
        gateway.respondIn(w.st(), busy);
      }
    } catch (Exception e) {
      LOG.warn("[pager {}] MESSAGE not answered: {}", key, SipText.reason(e));
    }
  }

  // --- outgoing MESSAGE -------------------------------------------------------------------------

  void send(SipMessageRequest m) {
    String callId = requests.newCallId();
    try (LogContext.Scope mdc = SipMdc.pager(callId, m.conversationKey())) {
      try {
        ClientTransaction tx = gateway.prepare(requests.message(m, callId));
        sent.put(callId, new Sent(m.conversationKey(), m.messageRef()));
        tx.sendRequest();
        LOG.info("[pager {}] SIP MESSAGE {} sent to {}", m.conversationKey(), m.messageRef(),
            m.target());
      } catch (Exception e) {
        sent.remove(callId);
        LOG.warn("[pager {}] SIP MESSAGE {} to {} not sent: {}", m.conversationKey(),
            m.messageRef(), m.target(), SipText.reason(e));
        pagers.apply(m.conversationKey()).tell(new PagerCommand.SipAnswered(m.messageRef(),
            503));
      }
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
