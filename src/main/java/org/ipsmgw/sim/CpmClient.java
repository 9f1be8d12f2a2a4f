package org.ipsmgw.sim;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
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
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.msrp.MsrpUri;

/**
 * A CPM (RCS) user agent on the JAIN-SIP RI, over TCP, for tests, the demo and load tests: it
 * invites an SMS user to a chat, acknowledges, cancels, ends, answers the gateway's BYE, and opens
 * the MSRP connection an accepted chat's SDP answer names.
 */
public final class CpmClient implements SipListener, AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String host;
  private final int port;
  private final String msisdn;
  private final String transport;
  private final SipStack stack;
  private final SipProvider provider;
  private final MessageFactory messages;
  private final Map<String, BlockingQueue<Response>> responses = new ConcurrentHashMap<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final Map<String, ClientTransaction> invites = new ConcurrentHashMap<>();
  private int cseq = 1;
  private java.net.ServerSocket msrpListener;
  private final BlockingQueue<MsrpClient> reconnected = new LinkedBlockingQueue<>();
  /** New INVITEs from the gateway that were answered 180 and wait (see {@link #ringOnly}). */
  private final Map<String, ServerTransaction> ringing = new ConcurrentHashMap<>();
  private volatile boolean ringOnly;

  /** One chat this client started. */
  public record Call(String callId, String fromTag, String requestUri, String to,
      String gatewayHost, int gatewayPort) {}

  public CpmClient(String host, int port, String msisdn) throws Exception {
    this(host, port, msisdn, "tcp");
  }

  /** @param transport "tcp" or "udp": how this client sends its requests */
  public CpmClient(String host, int port, String msisdn, String transport) throws Exception {
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.msisdn = msisdn;
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "jainsip.cpm-client-" + host + "-" + port);
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
    stack = factory.createSipStack(p);
    messages = factory.createMessageFactory();
    provider = stack.createSipProvider(stack.createListeningPoint(host, port, transport));
    provider.addSipListener(this);
    stack.start();
  }

  /** The SDP offer of a CPM 1-1 chat: MSRP over TCP, CPIM, this client's (unused) path. */
  public String offer(String setup) {
    return "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
        + "m=message 9 TCP/MSRP *\r\na=path:" + msrpUri() + "\r\n"
        + "a=accept-types:message/cpim application/im-iscomposing+xml\r\n"
        + "a=accept-wrapped-types:text/plain message/imdn+xml\r\na=setup:" + setup + "\r\n";
  }

  public String msrpUri() {
    return "msrp://" + host + ":" + (msrpListener == null ? 9 : msrpListener.getLocalPort())
        + "/cpm" + port + ";tcp";
  }

  /**
   * An offer with a=setup:passive: this client listens on a real MSRP port and the gateway
   * connects to it (RFC 6135).
   */
  public synchronized String passiveOffer() throws java.io.IOException {
    if (msrpListener == null) {
      msrpListener = new java.net.ServerSocket(0, 4, java.net.InetAddress.getByName(host));
    }
    return offer("passive");
  }

  /** The connection the gateway opened toward a passive offer's path. */
  public MsrpClient acceptMsrp(Duration timeout) throws java.io.IOException {
    msrpListener.setSoTimeout((int) timeout.toMillis());
    return new MsrpClient(msrpListener.accept(), msrpUri());
  }

  /**
   * Sends a chat INVITE to {@code smsMsisdn} at the gateway.
   *
   * @param extraHeaders e.g. CPM identifiers and feature tags, "Name: value" lines
   * @param sdp the offer, or null for none
   */
  public Call invite(String gatewayHost, int gatewayPort, String smsMsisdn, String extraHeaders,
      String sdp) throws Exception {
    String callId = random() + "@" + host;
    String tag = random();
    String uri = "sip:" + smsMsisdn + "@" + gatewayHost + ":" + gatewayPort
        + ";user=phone;transport=" + transport;
    String to = "<tel:" + smsMsisdn + ">";
    StringBuilder t = start(Request.INVITE, uri, callId, "<sip:" + msisdn + "@" + host
        + ">;tag=" + tag, to, nextCseq());
    t.append("Contact: <sip:").append(msisdn).append('@').append(host).append(':').append(port)
        .append(";transport=").append(transport).append(">\r\n");
    t.append(extraHeaders == null ? "" : extraHeaders);
    byte[] body = sdp == null ? new byte[0] : sdp.getBytes(StandardCharsets.UTF_8);
    if (sdp != null) {
      t.append("Content-Type: application/sdp\r\n");
    }
    t.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    Request invite = messages.createRequest(t + (sdp == null ? "" : sdp));
    responses.put(callId, new LinkedBlockingQueue<>());
    ClientTransaction tx = provider.getNewClientTransaction(invite);
    invites.put(callId, tx);
    tx.sendRequest();
    return new Call(callId, tag, uri, to, gatewayHost, gatewayPort);
  }

  /** The next response (provisional or final) to any request of the call. */
  public Response awaitResponse(Call call, Duration timeout) throws InterruptedException {
    Response r = responses.get(call.callId()).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no SIP response for " + call.callId() + " within " + timeout);
    }
    return r;
  }

  /** Skips provisional responses; returns the next final one. */
  public Response awaitFinal(Call call, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Response r = awaitResponse(call, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (r.getStatusCode() >= 200) {
        return r;
      }
    }
  }

  /** ACK for a 2xx, sent to the Contact of the response. */
  public void ack(Call call, Response ok) throws Exception {
    String target = ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI()
        .toString();
    String remoteTag = ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
    long seq = ((javax.sip.header.CSeqHeader) ok.getHeader("CSeq")).getSeqNumber();
    StringBuilder t = start(Request.ACK, target, call.callId(), "<sip:" + msisdn + "@" + host
        + ">;tag=" + call.fromTag(), call.to() + ";tag=" + remoteTag, seq);
    t.append("Content-Length: 0\r\n\r\n");
    provider.sendRequest(messages.createRequest(t.toString()));
  }

  public void cancel(Call call) throws Exception {
    ClientTransaction tx = invites.get(call.callId());
    provider.getNewClientTransaction(tx.createCancel()).sendRequest();
  }

  /** An in-dialog request (BYE, re-INVITE) toward the gateway. */
  public void inDialog(Call call, Response ok, String method, String sdp) throws Exception {
    inDialog(call, ok, method, sdp, "sip:" + msisdn + "@" + host + ":" + port + ";transport=tcp");
  }

  /** As above, with the Contact the request gives (a re-INVITE moving the remote target). */
  public void inDialog(Call call, Response ok, String method, String sdp, String contactUri)
      throws Exception {
    String target = ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI()
        .toString();
    String remoteTag = ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
    StringBuilder t = start(method, target, call.callId(), "<sip:" + msisdn + "@" + host
        + ">;tag=" + call.fromTag(), call.to() + ";tag=" + remoteTag, nextCseq());
    t.append("Contact: <").append(contactUri).append(">\r\n");
    byte[] body = sdp == null ? new byte[0] : sdp.getBytes(StandardCharsets.UTF_8);
    if (sdp != null) {
      t.append("Content-Type: application/sdp\r\n");
    }
    t.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    provider.getNewClientTransaction(messages.createRequest(t + (sdp == null ? "" : sdp)))
        .sendRequest();
  }

  /** An out-of-dialog OPTIONS or MESSAGE; its responses arrive under the returned call. */
  public Call outOfDialog(String method, String gatewayHost, int gatewayPort, String smsMsisdn,
      String body) throws Exception {
    return outOfDialog(method, gatewayHost, gatewayPort, smsMsisdn, null, "text/plain", body);
  }

  /**
   * An out-of-dialog request with extra header lines ("Name: value\r\n") and a body of the given
   * content type (e.g. a pager-mode MESSAGE carrying CPIM).
   */
  public Call outOfDialog(String method, String gatewayHost, int gatewayPort, String smsMsisdn,
      String extraHeaders, String contentType, String body) throws Exception {
    String callId = random() + "@" + host;
    String uri = "sip:" + smsMsisdn + "@" + gatewayHost + ":" + gatewayPort + ";transport=tcp";
    StringBuilder t = start(method, uri, callId, "<sip:" + msisdn + "@" + host + ">;tag="
        + random(), "<tel:" + smsMsisdn + ">", nextCseq());
    t.append(extraHeaders == null ? "" : extraHeaders);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      t.append("Content-Type: ").append(contentType).append("\r\n");
    }
    t.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    responses.put(callId, new LinkedBlockingQueue<>());
    provider.getNewClientTransaction(messages.createRequest(t + (body == null ? "" : body)))
        .sendRequest();
    return new Call(callId, null, uri, "<tel:" + smsMsisdn + ">", gatewayHost, gatewayPort);
  }

  /** The next request from the gateway (a BYE is answered 200 before it is handed out). */
  public Request awaitRequest(Duration timeout) throws InterruptedException {
    Request r = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no SIP request from the gateway within " + timeout);
    }
    return r;
  }

  /** Opens the MSRP connection to the path of a 200's SDP answer and binds it (empty SEND). */
  public MsrpClient connectMsrp(Response ok) throws Exception {
    String sdp = new String(ok.getRawContent(), StandardCharsets.UTF_8);
    String path = sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst()
        .orElseThrow(() -> new AssertionError("no a=path in " + sdp)).substring(7).trim();
    MsrpUri uri = MsrpUri.parse(path);
    MsrpClient msrp = new MsrpClient(uri.host(), uri.port(), msrpUri());
    String tid = random();
    msrp.send(org.ipsmgw.msrp.MsrpWriter.send(tid, path, msrpUri(), "bind" + tid,
        org.ipsmgw.msrp.ByteRange.whole(0), false, null, "text/plain", new byte[0], '$'));
    msrp.responseTo(tid, Duration.ofSeconds(10));
    return msrp;
  }

  private StringBuilder start(String method, String uri, String callId, String from, String to,
      long seq) {
    return new StringBuilder().append(method).append(' ').append(uri).append(" SIP/2.0\r\n")
        .append("Via: SIP/2.0/").append(transport.toUpperCase(java.util.Locale.ROOT))
        .append(' ').append(host).append(':').append(port)
        .append(";branch=z9hG4bK").append(random()).append("\r\n")
        .append("Max-Forwards: 70\r\n")
        .append("From: ").append(from).append("\r\n")
        .append("To: ").append(to).append("\r\n")
        .append("Call-ID: ").append(callId).append("\r\n")
        .append("CSeq: ").append(seq).append(' ').append(method).append("\r\n");
  }

  private synchronized long nextCseq() {
    return cseq++;
  }

  private static String random() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * While on, a new INVITE from the gateway is answered 180 and left ringing: a CANCEL then gets
   * 200 and the INVITE 487, as a user who never picks up.
   */
  public void ringOnly(boolean on) {
    ringOnly = on;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request r = event.getRequest();
    try {
      if (ring(event) || cancelRinging(event)) {
        requests.add(r);
        return;
      }
      if (!r.getMethod().equals(Request.ACK)) {
        ServerTransaction st = event.getServerTransaction() != null
            ? event.getServerTransaction() : provider.getNewServerTransaction(r);
        Response ok = messages.createResponse(Response.OK, r);
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) ok.getHeader("To");
        if (r.getMethod().equals(Request.INVITE) && to.getTag() == null) {
          // A new dialog (the gateway's own INVITE): this side's tag completes its id.
          to.setTag(random());
        }
        if (r.getMethod().equals(Request.INVITE)) {
          // A re-INVITE from the gateway: answer active and reconnect to its new path.
          ok.addHeader(SipFactory.getInstance().createHeaderFactory().createHeader("Contact",
              "<sip:" + msisdn + "@" + host + ":" + port + ";transport=tcp>"));
          ok.setContent(offer("active"), SipFactory.getInstance().createHeaderFactory()
              .createContentTypeHeader("application", "sdp"));
        }
        st.sendResponse(ok);
        if (r.getMethod().equals(Request.INVITE)) {
          reconnect(new String(r.getRawContent(), StandardCharsets.UTF_8));
        }
      }
    } catch (Exception e) {
      // The test sees the request anyway; the gateway will retransmit if the 200 was lost.
    }
    requests.add(r);
  }

  private boolean ring(RequestEvent event) throws Exception {
    Request r = event.getRequest();
    javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) r.getHeader("To");
    if (!ringOnly || !r.getMethod().equals(Request.INVITE) || to.getTag() != null) {
      return false;
    }
    ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(r);
    Response ringingResponse = messages.createResponse(Response.RINGING, r);
    ((javax.sip.header.ToHeader) ringingResponse.getHeader("To")).setTag(random());
    st.sendResponse(ringingResponse);
    ringing.put(((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId(), st);
    return true;
  }

  private boolean cancelRinging(RequestEvent event) throws Exception {
    Request r = event.getRequest();
    if (!r.getMethod().equals(Request.CANCEL)) {
      return false;
    }
    ServerTransaction invite = ringing.remove(
        ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId());
    ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
        : provider.getNewServerTransaction(r);
    st.sendResponse(messages.createResponse(Response.OK, r));
    if (invite != null) {
      invite.sendResponse(messages.createResponse(Response.REQUEST_TERMINATED,
          invite.getRequest()));
    }
    return true;
  }

  private void reconnect(String sdp) throws Exception {
    String path = sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst().orElseThrow()
        .substring(7).trim();
    MsrpUri uri = MsrpUri.parse(path);
    MsrpClient msrp = new MsrpClient(uri.host(), uri.port(), msrpUri());
    String tid = random();
    msrp.send(org.ipsmgw.msrp.MsrpWriter.send(tid, path, msrpUri(), "bind" + tid,
        org.ipsmgw.msrp.ByteRange.whole(0), false, null, "text/plain", new byte[0], '$'));
    reconnected.add(msrp);
  }

  /** The MSRP connection opened after the gateway's re-INVITE. */
  public MsrpClient awaitReconnected(Duration timeout) throws InterruptedException {
    MsrpClient c = reconnected.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (c == null) {
      throw new AssertionError("no re-INVITE to reconnect after within " + timeout);
    }
    return c;
  }

  @Override
  public void processResponse(ResponseEvent event) {
    Response r = event.getResponse();
    String callId = ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId();
    responses.computeIfAbsent(callId, k -> new LinkedBlockingQueue<>()).add(r);
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
    if (msrpListener != null) {
      try {
        msrpListener.close();
      } catch (java.io.IOException ignored) {
        // Closing anyway.
      }
    }
  }
}
