package org.ipsmgw.sip;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.Transaction;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.ipsmgw.LogContext;
import org.ipsmgw.msrp.MsrpMedia;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SipMessageRequest;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SipRequest;
import org.ipsmgw.session.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's SIP edge on the JAIN-SIP RI, UDP and TCP: it admits what comes in (trusted source,
 * a Call-ID a chat can be stored under) and hands each request, response and timeout to its
 * part — the CPM side's chat requests, pager mode, the gateway's own INVITEs — and each decision
 * of a session to the part that sends it. Every handling runs with the call's MDC.
 */
public final class SipGateway implements SipListener, SipPort {
  private static final Logger LOG = LoggerFactory.getLogger(SipGateway.class);

  private final SipSettings settings;
  private final SipMetrics metrics;
  private final MalformedRequests malformed;
  private final RequestAdmission admission;
  private final SipRequests requests;
  private final SipResponses responses;
  private final Transactions transactions;
  private final OkRetransmitter retransmitter;
  private final ChatRequests chats;
  private final InviteAnswers answers;
  private final OwnInvites ownInvites;
  private final PagerMode pager;
  private final Draining draining;
  /**
   * Acts on the chats' answers to the SIP edge's asks. Without an executor of its own a
   * callback on an ask's answer ran on a new thread each time: Pekko's answer is a Scala
   * future whose Java view runs every callback asynchronously, and on two cores the JDK's
   * default for that is a thread per task (6,500 threads in a 20 s set-up storm).
   */
  private final ExecutorService askAnswers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "ipsmgw-sip-answers");
    t.setDaemon(true);
    return t;
  });
  private volatile SipStack stack;
  private volatile SipProvider provider;

  /**
   * @param msrpHost this node's MSRP host, for the SDP's c= line
   * @param msrpPort this node's MSRP port, for the SDP's m= line
   * @param msrp the endpoint, which also connects toward an offer or answer with
   *     a=setup:passive; null when the node runs without one
   */
  public SipGateway(SipSettings settings, String msrpHost, int msrpPort, MsrpMedia msrp,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<org.ipsmgw.pager.PagerCommand>> pagers,
      Function<String, RecipientRef<org.ipsmgw.subscriber.SmsSubscriberCommand>> subscribers,
      Scheduler scheduler, Clock clock, io.micrometer.core.instrument.MeterRegistry registry) {
    this.settings = settings;
    this.metrics = new SipMetrics(registry);
    this.malformed = new MalformedRequests(metrics, settings.malformedLogInterval());
    SipFactories factories = SipFactories.create();
    this.requests = new SipRequests(factories, settings, clock);
    this.responses = new SipResponses(factories, settings);
    this.transactions = new Transactions(() -> provider, metrics, responses);
    this.admission = new RequestAdmission(settings, transactions, responses);
    this.draining = new Draining(responses, settings);
    this.retransmitter = OkRetransmitter.onOwnThread(settings);
    MsrpMedia media = msrp != null ? msrp : MsrpMedia.unconnected(msrpHost, msrpPort);
    SdpBuilder sdp = new SdpBuilder(msrpHost, msrpPort, clock);
    PendingInvites pending = new PendingInvites();
    this.chats = new ChatRequests(settings, new InviteReader(settings), clock, sessions, scheduler,
        transactions, responses, pending, sdp, media, retransmitter, askAnswers, metrics);
    this.answers = new InviteAnswers(transactions, responses, pending, sdp, media, retransmitter);
    this.ownInvites = new OwnInvites(requests, transactions, pending, sdp, media, sessions,
        (delay, task) -> CompletableFuture.delayedExecutor(delay.toMillis(),
            TimeUnit.MILLISECONDS).execute(task), settings.t1());
    this.pager = new PagerMode(transactions, requests, settings, pagers, subscribers, scheduler,
        askAnswers, metrics);
  }

  /** Listens on UDP and TCP; throws with the reason when the port cannot be had. */
  public void start() throws Exception {
    GatewayStack.ensureFree(settings);
    stack = GatewayStack.create(settings);
    GuardedParserFactory.register(stack, malformed);
    try {
      ListeningPoint udp = stack.createListeningPoint(settings.host(), settings.port(), "udp");
      ListeningPoint tcp = stack.createListeningPoint(settings.host(), settings.port(), "tcp");
      provider = stack.createSipProvider(udp);
      provider.addListeningPoint(tcp);
      provider.addSipListener(this);
      stack.start();
    } catch (Exception e) {
      stack.stop();
      GuardedParserFactory.unregister(stack);
      throw e;
    }
    LOG.info("SIP gateway listening on {}:{} (UDP, TCP)", settings.host(), settings.port());
  }

  /**
   * Graceful leave, first step: from now on new INVITEs (and OPTIONS probes from the SIP front)
   * are answered 503 with Retry-After, so the front sends new chats to other nodes; in-dialog
   * requests of existing chats are still taken. Idempotent.
   */
  public void drain() {
    if (draining.start()) {
      LOG.info("SIP gateway draining: new INVITEs, new MESSAGEs and OPTIONS get 503 "
          + "(Retry-After {} s); existing chats are still served",
          settings.drainRetryAfter().toSeconds());
    }
  }

  public void stop() {
    retransmitter.close();
    askAnswers.shutdown();
    if (stack != null) {
      stack.stop();
      GuardedParserFactory.unregister(stack);
    }
  }

  // --- requests from the CPM network ---------------------------------------------------------

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    metrics.request(request.getMethod());
    try {
      if (!admission.admit(event)) {
        return;
      }
    } catch (Exception e) {
      notHandled(request, e);
      return;
    }
    try (LogContext.Scope m = mdc(request)) {
      try {
        if (draining.refuses(request)) {
          transactions.send(event, draining.refusal(request));
          LOG.debug("SIP {} refused: the node drains", SipText.bounded(request.getMethod()));
          return;
        }
        switch (request.getMethod()) {
          case Request.INVITE -> chats.onInvite(event);
          case Request.ACK -> chats.onAck(request);
          case Request.CANCEL -> chats.onCancel(event);
          case Request.BYE -> chats.onBye(event);
          case Request.OPTIONS -> transactions.send(event, responses.options(request));
          case Request.MESSAGE -> pager.onMessage(event);
          default -> transactions.reply(event, Response.METHOD_NOT_ALLOWED, null);
        }
      } catch (Exception e) {
        notHandled(request, e);
      }
    }
  }

  private static void notHandled(Request request, Exception e) {
    LOG.warn("SIP {} {} not handled: {}", SipText.bounded(request.getMethod()),
        SipText.bounded(callId(request)), SipText.reason(e));
  }

  // --- responses and timeouts of the gateway's own requests -----------------------------------

  @Override
  public void processResponse(ResponseEvent event) {
    Response response = event.getResponse();
    CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
    try (LogContext.Scope m = mdc(response)) {
      if (cseq.getMethod().equals(Request.INVITE) && response.getStatusCode() >= 200) {
        ownInvites.answered(response);
      } else if (cseq.getMethod().equals(Request.MESSAGE)) {
        pager.answered(response);
      }
      LOG.debug("SIP response {} to {}", response.getStatusCode(), cseq);
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    String side = event.isServerTransaction() ? "server" : "client";
    Transaction tx = event.isServerTransaction() ? event.getServerTransaction()
        : event.getClientTransaction();
    if (tx == null || tx.getRequest() == null) {
      LOG.info("SIP transaction timed out: {}", side);
      return;
    }
    try (LogContext.Scope m = mdc(tx.getRequest())) {
      LOG.info("SIP transaction timed out: {}", side);
      if (tx instanceof ClientTransaction client) {
        pager.timedOut(client);
        if (client.getRequest().getMethod().equals(Request.INVITE)) {
          ownInvites.timedOut(client);
        }
      }
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.warn("SIP I/O error toward {}:{}", event.getHost(), event.getPort());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  // --- the sessions' decisions ----------------------------------------------------------------

  @Override
  public void respond(SipResponse r) {
    try (LogContext.Scope m = SipMdc.chat(r.sessionId())) {
      answers.respond(r);
    }
  }

  @Override
  public void request(SipRequest r) {
    try (LogContext.Scope m = SipMdc.chat(r.sessionId())) {
      try {
        switch (r.method()) {
          case Request.CANCEL -> ownInvites.cancel(r);
          case Request.INVITE -> ownInvites.send(r);
          default -> {
            if (r.method().equals(Request.BYE)) {
              // The chat gave up its dialog (no ACK within 64·T1, say): its 200 is not resent.
              retransmitter.stop(r.dialog().callId());
            }
            transactions.prepare(requests.inDialog(r, null)).sendRequest();
            LOG.info("[session {}] SIP {} sent to {}", r.sessionId(), r.method(),
                SipText.bounded(r.dialog().remoteTarget()));
          }
        }
      } catch (Exception e) {
        LOG.warn("[session {}] SIP {} not sent: {}", r.sessionId(), r.method(),
            SipText.reason(e));
      }
    }
  }

  @Override
  public void message(SipMessageRequest m) {
    pager.send(m);
  }

  static String callId(Request request) {
    CallIdHeader h = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
    return h == null ? "?" : h.getCallId();
  }

  /**
   * A chat's requests and responses carry its session id, a MESSAGE's only its Call-ID. A
   * response's Call-ID was not admitted like a request's: a longer one is named cut short.
   */
  private LogContext.Scope mdc(Message m) {
    CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
    String callId = h == null ? "?" : h.getCallId();
    if (callId.length() > settings.maxCallIdLength()) {
      callId = SipText.bounded(callId);
    }
    CSeqHeader cseq = (CSeqHeader) m.getHeader(CSeqHeader.NAME);
    boolean chat = cseq == null || !cseq.getMethod().equals(Request.MESSAGE)
        && !cseq.getMethod().equals(Request.OPTIONS);
    return chat ? SipMdc.chat(callId) : SipMdc.call(callId);
  }
}
