package org.ipsmgw.sip;

import gov.nist.javax.sip.message.SIPMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.msrp.MsrpPathId;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CloseReply;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.InviteContext;
import org.ipsmgw.session.SipPort;
import org.ipsmgw.session.SipRequest;
import org.ipsmgw.session.SipResponse;
import org.ipsmgw.session.TargetReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's SIP edge on the JAIN-SIP RI, UDP and TCP: CPM chat INVITEs become ChatSession
 * commands by Call-ID, and the sessions' decisions become responses and BYEs. A response goes out
 * on the INVITE's server transaction when this node received the INVITE, else statelessly from
 * what the session stored, so any node can answer a pending INVITE.
 */
public final class SipGateway implements SipListener, SipPort {
  private static final Logger LOG = LoggerFactory.getLogger(SipGateway.class);
  private static final Duration ASK = Duration.ofSeconds(5);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE";

  private final SipSettings settings;
  private final String msrpHost;
  private final int msrpPort;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final Scheduler scheduler;
  private final Clock clock;
  private final InviteReader reader;
  private final SipMetrics metrics;
  private final MalformedRequests malformed;
  private final OncePerInterval untrusted;
  private final OncePerInterval longCallIds;
  private final PagerMode pager;
  private final Map<String, ServerTransaction> pending = new ConcurrentHashMap<>();
  private final Map<String, String> offeredSetup = new ConcurrentHashMap<>();
  private final Map<String, String> offeredPath = new ConcurrentHashMap<>();
  /** The gateway's re-INVITEs awaiting their 2xx, whose ACK the gateway builds itself. */
  private final Map<String, ReInvite> reInviteIds = new ConcurrentHashMap<>();

  /**
   * An INVITE's identifiers and its dialog's route set (null: the one its 2xx brings), for the
   * ACK to its 2xx.
   */
  private record ReInvite(CpmIdentifiers ids, List<String> routes) {}
  /** The gateway's own INVITEs awaiting their final response, by Call-ID. */
  private final Map<String, OwnInvite> originating = new ConcurrentHashMap<>();

  /** An INVITE the gateway sent: its chat's MSRP session, and the transaction a CANCEL needs. */
  private record OwnInvite(String msrpSessionId, javax.sip.ClientTransaction transaction) {}
  /** 2xx to INVITEs over UDP, resent until their ACK comes (RFC 3261 §13.3.1.4). */
  private final Map<String, java.util.concurrent.ScheduledFuture<?>> unacknowledged =
      new ConcurrentHashMap<>();
  private final java.util.concurrent.ScheduledExecutorService retransmitter =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ipsmgw-sip-2xx");
        t.setDaemon(true);
        return t;
      });
  private static final long T2_MILLIS = 4000;
  private final org.ipsmgw.msrp.MsrpEndpoint msrpEndpoint;
  private SipStack stack;
  private SipProvider provider;
  private MessageFactory messages;
  private HeaderFactory headers;
  private AddressFactory addresses;

  /**
   * @param msrpEndpoint this node's MSRP endpoint, which connects to an offer with
   *     a=setup:passive; null when the node runs without one
   */
  public SipGateway(SipSettings settings, String msrpHost, int msrpPort,
      org.ipsmgw.msrp.MsrpEndpoint msrpEndpoint,
      Function<String, RecipientRef<ChatSessionCommand>> sessions,
      Function<String, RecipientRef<org.ipsmgw.pager.PagerCommand>> pagers,
      Function<String, RecipientRef<org.ipsmgw.subscriber.SmsSubscriberCommand>> subscribers,
      Scheduler scheduler, Clock clock, io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new SipMetrics(registry);
    this.malformed = new MalformedRequests(metrics, settings.malformedLogInterval());
    this.untrusted = new OncePerInterval(settings.malformedLogInterval(), 4096);
    this.longCallIds = new OncePerInterval(settings.malformedLogInterval(), 4096);
    this.pager = new PagerMode(this, settings, pagers, subscribers, scheduler);
    this.msrpEndpoint = msrpEndpoint;
    this.settings = settings;
    this.msrpHost = msrpHost;
    this.msrpPort = msrpPort;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.clock = clock;
    this.reader = new InviteReader(settings);
  }

  /** Listens on UDP and TCP; throws with the reason when the port cannot be had. */
  public void start() throws Exception {
    ensureFree();
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    Properties p = new Properties();
    // The RI logs under its stack name; the "jainsip." prefix lets logback.xml quiet it.
    p.setProperty("javax.sip.STACK_NAME", "jainsip.ipsmgw-" + settings.host() + "-"
        + settings.port());
    // The UA core here is the session entity: no dialog state in the stack, so a node that did
    // not see the INVITE can still send its BYE and final responses.
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    // None of the RI's own log text reaches the log (it carries whole messages): its errors
    // become bounded lines, its message log writes nothing, and unparsable or incomplete
    // messages are reported by the gateway, once per source and interval.
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", StackLog.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", NoMessageLog.class.getName());
    p.setProperty(StackLog.INTERVAL_PROPERTY,
        String.valueOf(settings.malformedLogInterval().toMillis()));
    p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY",
        GuardedParserFactory.class.getName());
    // The RI's stack class itself, so the ACK to a non-2xx carries the CPM headers too.
    stack = new GatewayStack(p);
    GuardedParserFactory.register(stack, malformed);
    try {
      listen(factory);
    } catch (Exception e) {
      stack.stop();
      GuardedParserFactory.unregister(stack);
      throw e;
    }
    LOG.info("SIP gateway listening on {}:{} (UDP, TCP)", settings.host(), settings.port());
  }

  /**
   * The RI finds a taken TCP port only after many seconds, and then fails on its own cleanup:
   * both ports are tried first, so a taken one is named at once.
   */
  private void ensureFree() throws java.net.BindException {
    java.net.InetSocketAddress at = new java.net.InetSocketAddress(settings.host(),
        settings.port());
    try (java.net.ServerSocket tcp = new java.net.ServerSocket()) {
      tcp.setReuseAddress(true);
      tcp.bind(at);
    } catch (java.io.IOException e) {
      throw new java.net.BindException("TCP " + settings.host() + ":" + settings.port()
          + " is already in use");
    }
    try (java.net.DatagramSocket udp = new java.net.DatagramSocket(null)) {
      udp.bind(at);
    } catch (java.io.IOException e) {
      throw new java.net.BindException("UDP " + settings.host() + ":" + settings.port()
          + " is already in use");
    }
  }

  private void listen(SipFactory factory) throws Exception {
    messages = factory.createMessageFactory();
    headers = factory.createHeaderFactory();
    addresses = factory.createAddressFactory();
    ListeningPoint udp = stack.createListeningPoint(settings.host(), settings.port(), "udp");
    ListeningPoint tcp = stack.createListeningPoint(settings.host(), settings.port(), "tcp");
    provider = stack.createSipProvider(udp);
    provider.addListeningPoint(tcp);
    provider.addSipListener(this);
    stack.start();
  }

  public void stop() {
    retransmitter.shutdownNow();
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
    String source = ((SIPMessage) request).getRemoteAddress() == null ? "?"
        : ((SIPMessage) request).getRemoteAddress().getHostAddress();
    try {
      if (!settings.trusts(source)) {
        long suppressed = untrusted.admit(source);
        if (suppressed >= 0) {
          LOG.warn("SIP {} from untrusted {}: 403{}", SipText.bounded(request.getMethod()),
              source, OncePerInterval.heldBack(suppressed));
        }
        statelessReply(request, Response.FORBIDDEN, "Not a trusted peer");
        return;
      }
      if (callId(request).length() > settings.maxCallIdLength()
          && !request.getMethod().equals(Request.OPTIONS)) {
        refuseLongCallId(event, source);
        return;
      }
      switch (request.getMethod()) {
        case Request.INVITE -> onInvite(event);
        case Request.ACK -> {
          stopResending(callId(request));
          session(request).tell(new ChatSessionCommand.AckReceived());
        }
        case Request.CANCEL -> onCancel(event);
        case Request.BYE -> onBye(event);
        case Request.OPTIONS -> onOptions(event);
        case Request.MESSAGE -> pager.onMessage(event);
        default -> reply(event, Response.METHOD_NOT_ALLOWED, null);
      }
    } catch (Exception e) {
      LOG.warn("SIP {} {} not handled: {}", SipText.bounded(request.getMethod()),
          SipText.bounded(callId(request)), SipText.reason(e));
    }
  }

  /**
   * A Call-ID longer than a chat can be stored under: a new call is refused with 400, a request
   * of such a call (never admitted) gets 481, and no entity is asked. The log gets its length and
   * start, once per source and interval.
   */
  private void refuseLongCallId(RequestEvent event, String source) throws Exception {
    Request request = event.getRequest();
    boolean opens = request.getMethod().equals(Request.MESSAGE)
        || request.getMethod().equals(Request.INVITE)
            && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
    int status = opens ? Response.BAD_REQUEST : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
    if (!request.getMethod().equals(Request.ACK)) {
      reply(event, status, "Call-ID too long");
    }
    long suppressed = longCallIds.admit(source);
    if (suppressed >= 0) {
      LOG.info("SIP {} from {} with a Call-ID of {} characters (at most {}), starting "
          + "\"{}\": {}{}", SipText.bounded(request.getMethod()), source, callId(request).length(),
          settings.maxCallIdLength(), SipText.bounded(callId(request)),
          request.getMethod().equals(Request.ACK) ? "dropped" : status,
          OncePerInterval.heldBack(suppressed));
    }
  }

  private void onInvite(RequestEvent event) throws Exception {
    Request invite = event.getRequest();
    if (((ToHeader) invite.getHeader(ToHeader.NAME)).getTag() != null) {
      onReInvite(event);
      return;
    }
    ServerTransaction st;
    try {
      st = event.getServerTransaction() != null ? event.getServerTransaction()
          : provider.getNewServerTransaction(invite);
    } catch (TransactionAlreadyExistsException retransmission) {
      return;
    } catch (javax.sip.TransactionUnavailableException malformed) {
      // The RI refuses a transaction to a request it finds incomplete (no Contact, say): it is
      // still answerable from its Via, so it gets its 400 statelessly.
      LOG.info("[session {}] malformed INVITE: {}; 400", SipText.bounded(callId(invite)),
          SipText.reason(malformed));
      statelessReply(invite, Response.BAD_REQUEST, "Malformed request");
      return;
    }
    Response trying = messages.createResponse(Response.TRYING, invite);
    copyIds(invite, trying);
    respondIn(st, trying);
    InviteReading reading = reader.read(invite, clock.instant());
    if (reading instanceof InviteReading.Refuse r) {
      LOG.info("[session {}] INVITE refused {} {}", callId(invite), r.status(),
          SipText.bounded(r.reason()));
      respondIn(st, final_(invite, r.status(), r.reason()));
      return;
    }
    InviteReading.Chat chat = (InviteReading.Chat) reading;
    String id = chat.invitation().sessionId();
    if (chat.idsGenerated()) {
      LOG.info("[session {}] INVITE without Conversation-ID/Contribution-ID: generated {} / {} "
          + "(lenient mode)", id, SipText.bounded(chat.invitation().ids().conversationId()),
          SipText.bounded(chat.invitation().ids().contributionId()));
    }
    pending.put(id, st);
    offeredSetup.put(id, chat.setup());
    offeredPath.put(id, chat.path());
    AskPattern.<ChatSessionCommand, CommandReply>ask(sessions.apply(id),
        replyTo -> new ChatSessionCommand.Invite(chat.invitation(), replyTo), ASK, scheduler)
        .whenComplete((reply, failure) -> {
          if (failure != null) {
            finalOnPending(id, invite, Response.SERVICE_UNAVAILABLE, "Chat not reachable");
          } else if (reply instanceof Refusal r) {
            finalOnPending(id, invite, r.status(), r.reason());
          }
        });
  }

  /**
   * A re-INVITE from the CPM side: its Contact becomes the dialog's remote target (persisted by
   * the chat), and the answer offers the chat's MSRP path on this node.
   */
  private void onReInvite(RequestEvent event) throws Exception {
    Request invite = event.getRequest();
    ServerTransaction st = provider.getNewServerTransaction(invite);
    javax.sip.header.ContactHeader contact =
        (javax.sip.header.ContactHeader) invite.getHeader("Contact");
    String target = contact == null ? null : contact.getAddress().getURI().toString();
    AskPattern.<ChatSessionCommand, TargetReply>ask(session(invite),
        replyTo -> new ChatSessionCommand.RefreshTarget(target, replyTo), ASK, scheduler)
        .whenComplete((reply, failure) -> {
          try {
            if (reply instanceof TargetReply.Refreshed chat) {
              Response ok = messages.createResponse(Response.OK, invite);
              decorate(ok, chat.ids(), chat.localTag(), true);
              String path = new MsrpPathId(callId(invite), chat.msrpSessionId())
                  .uri(msrpHost, msrpPort);
              ok.setContent(SdpAnswer.build(msrpHost, msrpPort, path, "actpass"),
                  headers.createContentTypeHeader("application", "sdp"));
              respondIn(st, ok);
            } else if (reply instanceof Refusal r && r.status() != 481) {
              respondIn(st, final_(invite, Response.BAD_REQUEST, "re-INVITE without Contact"));
            } else {
              respondIn(st, final_(invite, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                  "No active chat"));
            }
          } catch (Exception e) {
            LOG.warn("[session {}] re-INVITE not answered: {}", callId(invite),
                SipText.reason(e));
          }
        });
  }

  private void onCancel(RequestEvent event) throws Exception {
    Request cancel = event.getRequest();
    Response ok = final_(cancel, Response.OK, null);
    ServerTransaction pendingInvite = pending.get(callId(cancel));
    if (pendingInvite != null) {
      // The CANCEL's answer belongs to the conversation too: the INVITE's identifiers, as sent.
      copyIds(pendingInvite.getRequest(), ok);
    }
    send(event, ok);
    AskPattern.<ChatSessionCommand, CloseReply>ask(session(cancel),
        ChatSessionCommand.Cancel::new, ASK, scheduler);
  }

  /** BYE from the CPM side: 200 with the chat's identifiers once the chat has ended. */
  private void onBye(RequestEvent event) {
    Request bye = event.getRequest();
    AskPattern.<ChatSessionCommand, CloseReply>ask(session(bye), ChatSessionCommand.Bye::new,
            ASK, scheduler)
        .whenComplete((reply, failure) -> {
          if (failure != null) {
            LOG.warn("[session {}] BYE: chat not reachable ({})", callId(bye),
                SipText.reason(failure));
            return;
          }
          try {
            if (reply instanceof CloseReply.Closed closed) {
              Response ok = final_(bye, Response.OK, null);
              decorate(ok, closed.ids());
              send(event, ok);
            } else {
              reply(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                  ((Refusal) reply).reason());
            }
          } catch (Exception e) {
            LOG.warn("[session {}] BYE not answered: {}", callId(bye), SipText.reason(e));
          }
        });
  }

  private void onOptions(RequestEvent event) throws Exception {
    Response ok = messages.createResponse(Response.OK, event.getRequest());
    for (String method : ALLOW.split(", ")) {
      ok.addHeader(headers.createAllowHeader(method));
    }
    ok.addHeader(headers.createAcceptHeader("application", "sdp"));
    ok.addHeader(headers.createAcceptHeader("message", "cpim"));
    ok.addHeader(headers.createAcceptHeader("text", "plain"));
    javax.sip.header.ViaHeader via =
        (javax.sip.header.ViaHeader) event.getRequest().getHeader("Via");
    ok.addHeader(contact(via == null ? "tcp" : via.getTransport()));
    send(event, ok);
  }

  private void finalOnPending(String id, Request invite, int status, String reason) {
    ServerTransaction st = pending.remove(id);
    offeredSetup.remove(id);
    offeredPath.remove(id);
    try {
      if (st != null) {
        respondIn(st, final_(invite, status, reason));
      }
    } catch (Exception e) {
      LOG.warn("[session {}] final response {} not sent: {}", id, status, SipText.reason(e));
    }
  }

  // --- the sessions' decisions ----------------------------------------------------------------

  @Override
  public void respond(SipResponse r) {
    try {
      ServerTransaction st = pending.get(r.sessionId());
      Response response = st != null ? messages.createResponse(r.status(), st.getRequest())
          : statelessResponse(r.invite(), r.status());
      response.setReasonPhrase(r.reason());
      decorate(response, r.ids(), r.localTag(), r.status() < 300);
      if (r.status() == Response.OK && r.msrpSessionId() != null) {
        String path = new MsrpPathId(r.sessionId(), r.msrpSessionId()).uri(msrpHost, msrpPort);
        response.setContent(SdpAnswer.build(msrpHost, msrpPort, path,
            offeredSetup.getOrDefault(r.sessionId(), "actpass")),
            headers.createContentTypeHeader("application", "sdp"));
      }
      if (st != null) {
        respondIn(st, response);
      } else {
        respondStateless(response);
      }
      if (r.status() / 100 == 2 && isUdp(r.invite())) {
        resendUntilAcked(r.sessionId(), response, settings.t1().toMillis(), 0);
      }
      if (r.isFinal()) {
        pending.remove(r.sessionId());
        String setup = offeredSetup.remove(r.sessionId());
        String peerPath = offeredPath.remove(r.sessionId());
        if (r.status() == Response.OK && "passive".equals(setup) && peerPath != null) {
          connectMsrp(peerPath, new MsrpPathId(r.sessionId(), r.msrpSessionId()));
        }
      }
      LOG.info("[session {}] SIP {} {}", r.sessionId(), r.status(), SipText.bounded(r.reason()));
    } catch (Exception e) {
      LOG.warn("[session {}] SIP {} not sent: {}", r.sessionId(), r.status(),
          SipText.reason(e));
    }
  }

  @Override
  public void request(SipRequest r) {
    InviteContext d = r.dialog();
    boolean initialInvite = r.method().equals(Request.INVITE) && d.remoteTag() == null;
    try {
      if (r.method().equals(Request.CANCEL)) {
        cancelOriginated(r);
        return;
      }
      if (r.method().equals(Request.BYE)) {
        // The chat gave up its dialog (no ACK within 64·T1, say): its 200 is not resent.
        stopResending(d.callId());
      }
      String transport = DialogTransport.of(d, initialInvite, settings.outboundProxy());
      StringBuilder text = new StringBuilder()
          .append(r.method()).append(' ').append(d.remoteTarget()).append(" SIP/2.0\r\n")
          .append("Via: SIP/2.0/").append(transport.toUpperCase()).append(' ')
          .append(settings.host()).append(':').append(settings.port())
          .append(";branch=z9hG4bK").append(random()).append("\r\n")
          .append("Max-Forwards: 70\r\n")
          .append("From: ").append(withTag(d.to(), r.localTag())).append("\r\n")
          .append("To: ").append(d.from()).append("\r\n")
          .append("Call-ID: ").append(d.callId()).append("\r\n")
          // Tenths of seconds since the epoch grow on every node, so a later request of the
          // dialog, from whichever node, never has a lower CSeq.
          .append("CSeq: ").append(clock.millis() / 100 % Integer.MAX_VALUE).append(' ')
          .append(r.method()).append("\r\n");
      for (String route : d.recordRoute()) {
        text.append("Route: ").append(route).append("\r\n");
      }
      if (initialInvite) {
        // The gateway's own INVITE (SMS-originated chat): through the IMS core, as the SMS user.
        if (!settings.outboundProxy().isEmpty()) {
          text.append("Route: <").append(settings.outboundProxy()).append(">\r\n");
        }
        text.append("P-Asserted-Identity: ").append(d.to()).append("\r\n");
      }
      String sdp = "";
      if (r.method().equals(Request.INVITE)) {
        // A re-INVITE offers this node's MSRP path, actpass (RFC 6135): the CPM side
        // reconnects to it.
        String path = new MsrpPathId(r.sessionId(), r.msrpSessionId()).uri(msrpHost, msrpPort);
        sdp = SdpAnswer.build(msrpHost, msrpPort, path, "actpass").replace("a=setup:passive",
            "a=setup:actpass");
        text.append("Content-Type: application/sdp\r\n");
      }
      text.append("Content-Length: ").append(sdp.getBytes(java.nio.charset.StandardCharsets.UTF_8)
          .length).append("\r\n\r\n").append(sdp);
      Request request = messages.createRequest(text.toString());
      decorate(request, r.ids());
      if (r.method().equals(Request.INVITE)) {
        // The ACK to the gateway's own INVITE follows the route set its 2xx brings; a
        // re-INVITE's follows the dialog's.
        reInviteIds.put(d.callId(), new ReInvite(r.ids(),
            initialInvite ? null : d.recordRoute()));
      }
      request.addHeader(headers.createHeader(Cpm.P_ASSERTED_SERVICE, Cpm.SESSION_ICSI));
      request.addHeader(headers.createHeader("Accept-Contact", "*;" + Cpm.SESSION_TAG));
      request.addHeader(contact(transport));
      javax.sip.ClientTransaction tx = provider.getNewClientTransaction(request);
      if (initialInvite) {
        originating.put(d.callId(), new OwnInvite(r.msrpSessionId(), tx));
      }
      tx.sendRequest();
      LOG.info("[session {}] SIP {} sent to {}", r.sessionId(), r.method(),
          SipText.bounded(d.remoteTarget()));
    } catch (Exception e) {
      LOG.warn("[session {}] SIP {} not sent: {}", r.sessionId(), r.method(),
          SipText.reason(e));
      if (initialInvite) {
        originating.remove(d.callId());
        sessions.apply(d.callId()).tell(new ChatSessionCommand.OriginationOutcome(503,
            "INVITE not sent: " + SipText.reason(e), null, null, null, List.of()));
      }
    }
  }

  @Override
  public void message(org.ipsmgw.session.SipMessageRequest m) {
    pager.send(m, provider, messages, headers);
  }

  private static boolean isUdp(InviteContext invite) {
    return !invite.via().isEmpty()
        && invite.via().get(0).toUpperCase(java.util.Locale.ROOT).contains("/UDP");
  }

  /**
   * Over UDP nothing else repeats a 2xx to INVITE: it is resent at T1, 2·T1 ... capped at T2,
   * until its ACK arrives or 64·T1 have passed (RFC 3261 §13.3.1.4).
   */
  private void resendUntilAcked(String callId, Response ok, long delay, long elapsed) {
    if (elapsed >= settings.ackTimeout().toMillis()) {
      unacknowledged.remove(callId);
      LOG.warn("[session {}] no ACK for the 200 within {} ms", callId, elapsed);
      return;
    }
    java.util.concurrent.ScheduledFuture<?> next = retransmitter.schedule(() -> {
      if (!unacknowledged.containsKey(callId)) {
        return;
      }
      try {
        provider.sendResponse(ok);
      } catch (Exception e) {
        LOG.debug("[session {}] 200 not resent: {}", callId, SipText.reason(e));
      }
      resendUntilAcked(callId, ok, Math.min(delay * 2, T2_MILLIS), elapsed + delay);
    }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    // The first 200 starts the resending; later ones continue it only while no ACK removed it.
    if (elapsed == 0) {
      unacknowledged.put(callId, next);
    } else if (unacknowledged.computeIfPresent(callId, (k, old) -> next) == null) {
      next.cancel(false);
    }
  }

  private void stopResending(String callId) {
    java.util.concurrent.ScheduledFuture<?> resending = unacknowledged.remove(callId);
    if (resending != null) {
      resending.cancel(false);
    }
  }

  // --- building messages ----------------------------------------------------------------------

  /** A response to a stored INVITE, from its header values exactly as received. */
  private Response statelessResponse(InviteContext invite, int status) throws Exception {
    StringBuilder text = new StringBuilder("SIP/2.0 ").append(status).append(" X\r\n");
    for (int i = 0; i < invite.via().size(); i++) {
      String via = invite.via().get(i);
      if (i == 0 && via.toUpperCase(java.util.Locale.ROOT).contains("/TCP")) {
        // The INVITE's connection died with the node that received it. Over TCP the response
        // goes to a new connection at the sent-by port (RFC 3261 §18.2.2), not to the old
        // connection's source port the stack noted as rport.
        via = via.replaceAll(";rport=\\d+", ";rport");
      }
      text.append("Via: ").append(via).append("\r\n");
    }
    text.append("From: ").append(invite.from()).append("\r\n")
        .append("To: ").append(invite.to()).append("\r\n")
        .append("Call-ID: ").append(invite.callId()).append("\r\n")
        .append("CSeq: ").append(invite.cseq()).append(" INVITE\r\n")
        .append("Content-Length: 0\r\n\r\n");
    return messages.createResponse(text.toString());
  }

  /** To tag, Contact with the feature tag (18x/2xx), and the CPM identifiers unchanged. */
  private void decorate(Response response, CpmIdentifiers ids, String localTag,
      boolean withContact) throws Exception {
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (to.getTag() == null && localTag != null && response.getStatusCode() > 100) {
      to.setTag(localTag);
    }
    if (withContact && response.getStatusCode() > 100) {
      javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) response.getHeader("Via");
      response.setHeader(contact(via == null ? "tcp" : via.getTransport()));
    }
    decorate(response, ids);
  }

  void decorate(javax.sip.message.Message m, CpmIdentifiers ids) throws Exception {
    if (ids == null) {
      return;
    }
    m.setHeader(headers.createHeader(Cpm.CONVERSATION_ID, ids.conversationId()));
    m.setHeader(headers.createHeader(Cpm.CONTRIBUTION_ID, ids.contributionId()));
    if (ids.inReplyToContributionId() != null) {
      m.setHeader(headers.createHeader(Cpm.IN_REPLY_TO, ids.inReplyToContributionId()));
    }
    if (ids.nonCpmServiceId() != null) {
      m.setHeader(headers.createHeader(Cpm.SERVICE_ID, ids.nonCpmServiceId()));
    }
  }

  /** Our Contact, on the transport the CPM side used, so its in-dialog requests can follow. */
  private javax.sip.header.Header contact(String transport) throws Exception {
    return headers.createHeader("Contact", "<sip:ipsmgw@" + settings.host() + ":"
        + settings.port() + ";transport=" + transport.toLowerCase(java.util.Locale.ROOT) + ">;"
        + Cpm.SESSION_TAG);
  }

  /** The request's CPM identifier headers, exactly as received, onto a response to it. */
  private static void copyIds(Request request, Response response) {
    for (String name : List.of(Cpm.CONVERSATION_ID, Cpm.CONTRIBUTION_ID, Cpm.IN_REPLY_TO,
        Cpm.SERVICE_ID)) {
      javax.sip.header.Header h = request.getHeader(name);
      if (h != null) {
        response.setHeader(h);
      }
    }
  }

  Response final_(Request request, int status, String reason) throws Exception {
    Response r = messages.createResponse(status, request);
    copyIds(request, r);
    if (reason != null) {
      r.setReasonPhrase(reason);
    }
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (to.getTag() == null) {
      to.setTag(random());
    }
    return r;
  }

  void reply(RequestEvent event, int status, String reason) throws Exception {
    send(event, final_(event.getRequest(), status, reason));
  }

  private void send(RequestEvent event, Response response) throws Exception {
    ServerTransaction st = serverTransaction(event);
    if (st != null) {
      respondIn(st, response);
    }
  }

  /** The request's server transaction, or null for a retransmission the stack already has. */
  ServerTransaction serverTransaction(RequestEvent event) throws Exception {
    ServerTransaction st = event.getServerTransaction();
    if (st != null) {
      return st;
    }
    try {
      return provider.getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException retransmission) {
      return null;
    }
  }

  // Counted before the send, so a peer that has the response also finds it in /metrics.
  void respondIn(ServerTransaction st, Response response) throws Exception {
    metrics.response(response);
    st.sendResponse(response);
  }

  private void respondStateless(Response response) throws Exception {
    metrics.response(response);
    provider.sendResponse(response);
  }

  private void statelessReply(Request request, int status, String reason) throws Exception {
    if (!request.getMethod().equals(Request.ACK)) {
      respondStateless(final_(request, status, reason));
    }
  }

  private RecipientRef<ChatSessionCommand> session(Request request) {
    return sessions.apply(callId(request));
  }

  static String callId(Request request) {
    javax.sip.header.CallIdHeader h =
        (javax.sip.header.CallIdHeader) request.getHeader(javax.sip.header.CallIdHeader.NAME);
    return h == null ? "?" : h.getCallId();
  }

  private static String withTag(String nameAddr, String tag) {
    return nameAddr.contains(";tag=") ? nameAddr : nameAddr + ";tag=" + tag;
  }

  static String random() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  // --- events the gateway only logs -----------------------------------------------------------

  @Override
  public void processResponse(ResponseEvent event) {
    Response response = event.getResponse();
    javax.sip.header.CSeqHeader cseq = (javax.sip.header.CSeqHeader) response.getHeader("CSeq");
    if (cseq.getMethod().equals(Request.INVITE) && response.getStatusCode() >= 200) {
      originated(response);
    }
    if (cseq.getMethod().equals(Request.INVITE) && response.getStatusCode() / 100 == 2) {
      ackReInvite(response, cseq.getSeqNumber());
    } else if (cseq.getMethod().equals(Request.MESSAGE)) {
      pager.answered(response);
    }
    LOG.debug("SIP response {} to {}", response.getStatusCode(), cseq);
  }

  /**
   * The final response to the gateway's own INVITE goes to its chat. A 2xx names the dialog (the
   * CPM side's tag, Contact, and Record-Route read backwards); an answer with a=setup:passive
   * makes this node connect to the CPM side's path (RFC 6135).
   */
  private void originated(Response response) {
    String callId = SipText.value(response, "Call-ID");
    OwnInvite own = originating.remove(callId);
    int status = response.getStatusCode();
    if (own == null) {
      if (status / 100 == 2) {
        // The chat cancelled this INVITE meanwhile; it sends the BYE this answer now needs.
        sessions.apply(callId).tell(outcomeOf(response));
      }
      return;
    }
    sessions.apply(callId).tell(outcomeOf(response));
    LOG.info("[session {}] the CPM user answered the gateway's INVITE: {}", callId, status);
    if (status / 100 == 2 && response.getRawContent() != null) {
      String sdp = new String(response.getRawContent(), java.nio.charset.StandardCharsets.UTF_8);
      sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst()
          .filter(l -> sdp.contains("a=setup:passive"))
          .ifPresent(l -> connectMsrp(l.substring(7).trim(),
              new MsrpPathId(callId, own.msrpSessionId())));
    }
  }

  /** A final response to the gateway's INVITE, as its chat needs it. */
  private static ChatSessionCommand.OriginationOutcome outcomeOf(Response response) {
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    javax.sip.header.ContactHeader contact =
        (javax.sip.header.ContactHeader) response.getHeader("Contact");
    // The CPM side's reason phrase is stored and logged by the chat: cut short and escaped.
    return new ChatSessionCommand.OriginationOutcome(response.getStatusCode(),
        SipText.bounded(response.getReasonPhrase()), SipText.value(response, ToHeader.NAME),
        to.getTag(), contact == null ? null : contact.getAddress().getURI().toString(),
        SipText.routeSet(response));
  }

  /** This node connects to the CPM side's passive MSRP path (RFC 6135); its last hop is it. */
  private void connectMsrp(String peerPath, MsrpPathId ours) {
    if (msrpEndpoint == null) {
      return;
    }
    String[] hops = peerPath.split("\\s+");
    msrpEndpoint.connect(org.ipsmgw.msrp.MsrpUri.parse(hops[hops.length - 1]), ours,
        ours.uri(msrpHost, msrpPort));
  }

  /** CANCEL of the gateway's own pending INVITE (RFC 3261 §9.1). */
  private void cancelOriginated(SipRequest r) throws Exception {
    OwnInvite own = originating.remove(r.dialog().callId());
    if (own == null) {
      LOG.info("[session {}] nothing to CANCEL: the INVITE was already answered",
          r.sessionId());
      return;
    }
    Request cancel = own.transaction().createCancel();
    // createCancel() copies only the dialog's headers; the CANCEL belongs to the conversation.
    GatewayStack.copyCpmHeaders(own.transaction().getRequest(), cancel);
    provider.getNewClientTransaction(cancel).sendRequest();
    LOG.info("[session {}] SIP CANCEL sent for the gateway's INVITE", r.sessionId());
  }

  /**
   * ACK for a 2xx to the gateway's INVITE or re-INVITE, to the Contact of the response along the
   * dialog's route set (RFC 3261 §13.2.2.4).
   */
  private void ackReInvite(Response ok, long seq) {
    try {
      javax.sip.header.ContactHeader contact =
          (javax.sip.header.ContactHeader) ok.getHeader("Contact");
      String target = contact != null ? contact.getAddress().getURI().toString()
          : ((javax.sip.header.ToHeader) ok.getHeader(ToHeader.NAME)).getAddress().getURI()
              .toString();
      ReInvite reInvite = reInviteIds.remove(SipText.value(ok, "Call-ID"));
      List<String> routes = reInvite == null || reInvite.routes() == null
          ? SipText.routeSet(ok) : reInvite.routes();
      // Like any request of the dialog: the next hop's transport when it names one, else the
      // one the INVITE went on (the 2xx's Via is the INVITE's own).
      javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) ok.getHeader("Via");
      String transport = DialogTransport.param(routes.isEmpty() ? target : routes.get(0))
          .orElse(via == null ? "tcp" : via.getTransport()).toUpperCase(java.util.Locale.ROOT);
      StringBuilder text = new StringBuilder("ACK ").append(target).append(" SIP/2.0\r\n")
          .append("Via: SIP/2.0/").append(transport).append(' ').append(settings.host())
          .append(':').append(settings.port()).append(";branch=z9hG4bK").append(random())
          .append("\r\nMax-Forwards: 70\r\n")
          .append("From: ").append(SipText.value(ok, "From")).append("\r\n")
          .append("To: ").append(SipText.value(ok, "To")).append("\r\n")
          .append("Call-ID: ").append(SipText.value(ok, "Call-ID")).append("\r\n")
          .append("CSeq: ").append(seq).append(" ACK\r\n");
      for (String route : routes) {
        text.append("Route: ").append(route).append("\r\n");
      }
      Request ack = messages.createRequest(text.append("Content-Length: 0\r\n\r\n")
          .toString());
      decorate(ack, reInvite == null ? null : reInvite.ids());
      ack.addHeader(headers.createHeader(Cpm.P_ASSERTED_SERVICE, Cpm.SESSION_ICSI));
      ack.addHeader(headers.createHeader("Accept-Contact", "*;" + Cpm.SESSION_TAG));
      provider.sendRequest(ack);
    } catch (Exception e) {
      LOG.warn("ACK for the re-INVITE's 2xx not sent: {}", SipText.reason(e));
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    LOG.info("SIP transaction timed out: {}", event.isServerTransaction() ? "server" : "client");
    if (!event.isServerTransaction()) {
      pager.timedOut(event.getClientTransaction());
      javax.sip.ClientTransaction tx = event.getClientTransaction();
      String callId = tx == null ? null : SipText.value(tx.getRequest(), "Call-ID");
      if (callId != null && originating.remove(callId) != null) {
        sessions.apply(callId).tell(new ChatSessionCommand.OriginationOutcome(408,
            "No answer to the gateway's INVITE", null, null, null, List.of()));
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

  List<String> pendingInvites() {
    return List.copyOf(pending.keySet());
  }
}
