package org.ipsmgw.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The CPM users' SIP side on the JAIN-SIP RI, over TCP: one stack and one listening point for
 * every chat of the run (each chat its own From and Call-ID). INVITE and BYE complete with their
 * final response; the gateway's own requests (its BYE, OPTIONS) are answered 200. A chat's
 * INVITE (and a pager MESSAGE) goes to one of the gateway ports, by the chat's number in turn
 * (one port: a node or the SIP front; several: nodes without a front); its ACK and BYE go to the
 * 200's Contact through the 200's Record-Route, so behind a front they pass the front as well.
 */
final class SipUa implements SipListener, AutoCloseable {
  /** The CPM session feature tag (RFC 3840 encoding, as the gateway expects it). */
  static final String SESSION_TAG =
      "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session\"";

  private final String host;
  private final int port;
  private final String gatewayHost;
  private final List<Integer> gatewayPorts;
  private final SipStack stack;
  private final SipProvider provider;
  private final MessageFactory messages;
  /** Call-ID + " " + CSeq method → the request's final response. */
  private final Map<String, CompletableFuture<Response>> finals = new ConcurrentHashMap<>();
  private final Map<String, Chat> acked = new ConcurrentHashMap<>();
  private final AtomicLong branches = new AtomicLong();
  private final Map<String, Runnable> byeFromGateway = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<String> onMessage;

  /** The CPM standalone-message (pager mode) feature tag. */
  static final String MSG_TAG =
      "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"";

  /**
   * @param onMessage gets the body of each MESSAGE the gateway sends (pager mode; its outbound
   *     proxy is this UA), after it was answered 200
   */
  SipUa(String host, int port, String gatewayHost, List<Integer> gatewayPorts,
      java.util.function.Consumer<String> onMessage) throws Exception {
    this.onMessage = onMessage;
    this.host = host;
    this.port = port;
    this.gatewayHost = gatewayHost;
    this.gatewayPorts = List.copyOf(gatewayPorts);
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "load-cpm-" + port);
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
    stack = factory.createSipStack(p);
    messages = factory.createMessageFactory();
    provider = stack.createSipProvider(stack.createListeningPoint(host, port, "tcp"));
    provider.addSipListener(this);
    stack.start();
  }

  /** The SDP offer of a CPM 1-1 chat: MSRP over TCP, CPIM, this chat's path, actpass. */
  String offer(Chat chat) {
    return "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
        + "m=message 9 TCP/MSRP *\r\na=path:" + chat.ourPath + "\r\n"
        + "a=accept-types:message/cpim application/im-iscomposing+xml\r\n"
        + "a=accept-wrapped-types:text/plain message/imdn+xml\r\na=setup:actpass\r\n";
  }

  /** Sends the chat's INVITE; completes with its final response or fails after the timeout. */
  CompletableFuture<Response> invite(Chat chat, long timeoutMs) throws Exception {
    String uri = "sip:" + chat.sms + "@" + gatewayHost + ":" + gatewayPort(chat)
        + ";user=phone;transport=tcp";
    String text = start(Request.INVITE, uri, chat, "<tel:" + chat.sms + ">", 1)
        + "Contact: <sip:" + chat.cpm + "@" + host + ":" + port + ";transport=tcp>\r\n"
        + "Conversation-ID: conv-" + chat.id + "-" + chat.nonce + "\r\n"
        + "Contribution-ID: contr-" + chat.id + "-" + chat.nonce + "\r\n"
        + "Accept-Contact: *;" + SESSION_TAG + "\r\n";
    return request(chat, Request.INVITE, body(text, "application/sdp", offer(chat)), timeoutMs);
  }

  /** ACK for the 2xx, to its Contact; again if the gateway resends the 200. */
  void ack(Chat chat, Response ok) throws Exception {
    chat.ok = ok;
    acked.put(chat.callId, chat);
    String text = start(Request.ACK, target(ok), chat, chat.remoteTo(), 1) + routeSet(ok);
    provider.sendRequest(messages.createRequest(body(text, null, null)));
  }

  CompletableFuture<Response> bye(Chat chat, long timeoutMs) throws Exception {
    acked.remove(chat.callId);
    String text = start(Request.BYE, target(chat.ok), chat, chat.remoteTo(), 2)
        + routeSet(chat.ok);
    return request(chat, Request.BYE, body(text, null, null), timeoutMs);
  }

  /**
   * A pager-mode MESSAGE from the chat's CPM user to its SMS user, CPIM around {@code cpim},
   * under a Call-ID of its own ({@code n}: the message's number in the chat); completes with the
   * final response.
   */
  CompletableFuture<Response> message(Chat chat, int n, String cpim, long timeoutMs)
      throws Exception {
    String uri = "sip:" + chat.sms + "@" + gatewayHost + ":" + gatewayPort(chat)
        + ";user=phone;transport=tcp";
    String callId = "page-" + n + "-" + chat.callId;
    String text = "MESSAGE " + uri + " SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP " + host + ":" + port + ";branch=z9hG4bK" + chat.nonce + "x"
        + branches.incrementAndGet() + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:" + chat.cpm + "@" + host + ">;tag=" + chat.fromTag + "\r\n"
        + "To: <tel:" + chat.sms + ">\r\n"
        + "Call-ID: " + callId + "\r\n"
        + "CSeq: 1 MESSAGE\r\n"
        + "Conversation-ID: pconv-" + chat.id + "-" + chat.nonce + "\r\n"
        + "Contribution-ID: pcontr-" + n + "-" + chat.nonce + "\r\n"
        + "Accept-Contact: *;" + MSG_TAG + "\r\n"
        + "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg\r\n";
    return requestUnder(callId + " " + Request.MESSAGE, body(text, "message/cpim", cpim),
        timeoutMs);
  }

  /** Runs {@code r} when the gateway ends this chat itself. */
  void onGatewayBye(Chat chat, Runnable r) {
    byeFromGateway.put(chat.callId, r);
  }

  private CompletableFuture<Response> request(Chat chat, String method, String text,
      long timeoutMs) throws Exception {
    return requestUnder(chat.callId + " " + method, text, timeoutMs);
  }

  private CompletableFuture<Response> requestUnder(String key, String text, long timeoutMs)
      throws Exception {
    CompletableFuture<Response> f = new CompletableFuture<>();
    finals.put(key, f);
    f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((r, e) -> finals.remove(key));
    provider.getNewClientTransaction(messages.createRequest(text)).sendRequest();
    return f;
  }

  private String start(String method, String uri, Chat chat, String to, long seq) {
    return method + " " + uri + " SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP " + host + ":" + port + ";branch=z9hG4bK" + chat.nonce + "x"
        + branches.incrementAndGet() + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:" + chat.cpm + "@" + host + ">;tag=" + chat.fromTag + "\r\n"
        + "To: " + to + "\r\n"
        + "Call-ID: " + chat.callId + "\r\n"
        + "CSeq: " + seq + " " + method + "\r\n";
  }

  private static String body(String head, String contentType, String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return head + (body == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: " + bytes.length + "\r\n\r\n" + (body == null ? "" : body);
  }

  /** The gateway port this chat's out-of-dialog requests go to. */
  int gatewayPort(Chat chat) {
    return gatewayPorts.get((int) Math.floorMod(chat.id, (long) gatewayPorts.size()));
  }

  /**
   * The dialog's route set as Route header lines: the 2xx's Record-Route in reverse order (RFC
   * 3261 §12.1.2, the UAC side); empty without a proxy on the path.
   */
  static String routeSet(Response ok) {
    List<String> routes = new ArrayList<>();
    ListIterator<?> rr = ok.getHeaders(RecordRouteHeader.NAME);
    while (rr.hasNext()) {
      routes.add(0, ((RecordRouteHeader) rr.next()).getAddress().toString());
    }
    StringBuilder b = new StringBuilder();
    for (String r : routes) {
      b.append("Route: ").append(r.startsWith("<") ? r : "<" + r + ">").append("\r\n");
    }
    return b.toString();
  }

  static String target(Response ok) {
    return ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
  }

  static String remoteTag(Response ok) {
    return ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
  }

  @Override
  public void processResponse(ResponseEvent event) {
    Response r = event.getResponse();
    if (r.getStatusCode() < 200) {
      return;
    }
    String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    String method = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
    CompletableFuture<Response> f = finals.get(callId + " " + method);
    if (f != null) {
      f.complete(r);
      return;
    }
    Chat chat = acked.get(callId);
    if (chat != null && method.equals(Request.INVITE) && r.getStatusCode() < 300) {
      try {
        ack(chat, r);
      } catch (Exception ignored) {
        // The gateway resends its 200 until an ACK gets through.
      }
    }
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request r = event.getRequest();
    if (r.getMethod().equals(Request.ACK)) {
      return;
    }
    try {
      Response ok = messages.createResponse(Response.OK, r);
      ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
          : provider.getNewServerTransaction(r);
      st.sendResponse(ok);
    } catch (Exception e) {
      // The gateway resends a request it got no answer for.
    }
    if (r.getMethod().equals(Request.MESSAGE) && r.getRawContent() != null) {
      onMessage.accept(new String(r.getRawContent(), StandardCharsets.UTF_8));
    }
    if (r.getMethod().equals(Request.BYE)) {
      String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
      acked.remove(callId);
      Runnable ended = byeFromGateway.remove(callId);
      if (ended != null) {
        ended.run();
      }
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {}

  @Override
  public void processIOException(IOExceptionEvent event) {}

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {}

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  @Override
  public void close() {
    stack.stop();
  }
}
