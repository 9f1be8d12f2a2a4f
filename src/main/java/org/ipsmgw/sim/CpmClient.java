package org.ipsmgw.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpUri;
import org.ipsmgw.msrp.MsrpWriter;

/**
 * A CPM (RCS) user agent on the JAIN-SIP RI, over TCP or UDP, for tests, the demo and load
 * tests: it invites an SMS user to a chat, acknowledges, cancels, ends, answers the gateway's
 * requests ({@link GatewayRequests}), and opens the MSRP connection an accepted chat's SDP
 * answer names.
 */
public final class CpmClient implements SipListener, AutoCloseable {
  private final String host;
  private final int port;
  private final String msisdn;
  private final String transport;
  private final SipStack stack;
  private final SipProvider provider;
  private final MessageFactory messages;
  private final GatewayRequests gatewayRequests;
  private final Map<String, BlockingQueue<Response>> responses = new ConcurrentHashMap<>();
  private final Map<String, ClientTransaction> invites = new ConcurrentHashMap<>();
  private final BlockingQueue<MsrpClient> reconnected = new LinkedBlockingQueue<>();
  private int cseq = 1;
  private ServerSocket msrpListener;

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
    gatewayRequests = new GatewayRequests(this, provider, messages);
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
  public synchronized String passiveOffer() throws IOException {
    if (msrpListener == null) {
      msrpListener = new ServerSocket(0, 4, InetAddress.getByName(host));
    }
    return offer("passive");
  }

  /** The connection the gateway opened toward a passive offer's path. */
  public MsrpClient acceptMsrp(Duration timeout) throws IOException {
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
    String callId = RandomIds.token() + "@" + host;
    String tag = RandomIds.token();
    String uri = "sip:" + smsMsisdn + "@" + gatewayHost + ":" + gatewayPort
        + ";user=phone;transport=" + transport;
    String to = "<tel:" + smsMsisdn + ">";
    String text = start(Request.INVITE, uri, callId, from(tag), to, nextCseq())
        .header("Contact", "<sip:" + msisdn + "@" + host + ":" + port + ";transport="
            + transport + ">")
        .lines(extraHeaders).body("application/sdp", sdp);
    Request invite = messages.createRequest(text);
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
    long seq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
    String text = start(Request.ACK, target(ok), call.callId(), from(call.fromTag()),
        call.to() + ";tag=" + remoteTag(ok), seq).body(null, null);
    provider.sendRequest(messages.createRequest(text));
  }

  public void cancel(Call call) throws Exception {
    ClientTransaction tx = invites.get(call.callId());
    provider.getNewClientTransaction(tx.createCancel()).sendRequest();
  }

  /** An in-dialog request (BYE, re-INVITE) toward the gateway. */
  public void inDialog(Call call, Response ok, String method, String sdp) throws Exception {
    inDialog(call, ok, method, sdp, contact());
  }

  /** As above, with the Contact the request gives (a re-INVITE moving the remote target). */
  public void inDialog(Call call, Response ok, String method, String sdp, String contactUri)
      throws Exception {
    String text = start(method, target(ok), call.callId(), from(call.fromTag()),
        call.to() + ";tag=" + remoteTag(ok), nextCseq())
        .header("Contact", "<" + contactUri + ">").body("application/sdp", sdp);
    provider.getNewClientTransaction(messages.createRequest(text)).sendRequest();
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
    String callId = RandomIds.token() + "@" + host;
    String uri = "sip:" + smsMsisdn + "@" + gatewayHost + ":" + gatewayPort + ";transport=tcp";
    String text = start(method, uri, callId, from(RandomIds.token()), "<tel:" + smsMsisdn + ">",
        nextCseq()).lines(extraHeaders).body(contentType, body);
    responses.put(callId, new LinkedBlockingQueue<>());
    provider.getNewClientTransaction(messages.createRequest(text)).sendRequest();
    return new Call(callId, null, uri, "<tel:" + smsMsisdn + ">", gatewayHost, gatewayPort);
  }

  /** The next request from the gateway (a BYE is answered 200 before it is handed out). */
  public Request awaitRequest(Duration timeout) throws InterruptedException {
    Request r = gatewayRequests.received().poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no SIP request from the gateway within " + timeout);
    }
    return r;
  }

  /**
   * While on, a new INVITE from the gateway is answered 180 and left ringing: a CANCEL then gets
   * 200 and the INVITE 487, as a user who never picks up.
   */
  public void ringOnly(boolean on) {
    gatewayRequests.ringOnly(on);
  }

  /** The MSRP path ({@code a=path}) of an SDP body. */
  public static String msrpPath(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst()
        .orElseThrow(() -> new AssertionError("no a=path in " + sdp)).substring(7).trim();
  }

  /** The MSRP path of a message's SDP body (a 200's answer, a re-INVITE's offer). */
  public static String msrpPath(javax.sip.message.Message m) {
    return msrpPath(new String(m.getRawContent(), StandardCharsets.UTF_8));
  }

  /** Opens the MSRP connection to the path of a 200's SDP answer and binds it (empty SEND). */
  public MsrpClient connectMsrp(Response ok) throws Exception {
    String path = msrpPath(ok);
    MsrpUri uri = MsrpUri.parse(path);
    MsrpClient msrp = new MsrpClient(uri.host(), uri.port(), msrpUri());
    msrp.responseTo(bind(msrp, path), Duration.ofSeconds(10));
    return msrp;
  }

  /** The MSRP connection opened after the gateway's re-INVITE. */
  public MsrpClient awaitReconnected(Duration timeout) throws InterruptedException {
    MsrpClient c = reconnected.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (c == null) {
      throw new AssertionError("no re-INVITE to reconnect after within " + timeout);
    }
    return c;
  }

  /** After answering a re-INVITE: connects to the path of its offer and binds it. */
  void reconnect(String sdp) throws Exception {
    // Not msrpPath: its AssertionError would escape GatewayRequests, which catches Exception
    // so that a re-INVITE it could not reconnect after is still listed for the test.
    String path = sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst().orElseThrow()
        .substring(7).trim();
    MsrpUri uri = MsrpUri.parse(path);
    MsrpClient msrp = new MsrpClient(uri.host(), uri.port(), msrpUri());
    bind(msrp, path);
    reconnected.add(msrp);
  }

  /** This client's Contact on the transport it listens on (its 2xx to a re-INVITE names it). */
  String contact() {
    return "sip:" + msisdn + "@" + host + ":" + port + ";transport=" + transport;
  }

  /**
   * How this client answers the gateway's next re-INVITEs, one status each, the last for all
   * that follow: 200 (the default), an error status, or 0 for no answer at all, as a phone that
   * lost the dialog or went away.
   */
  public void answerReInvites(int... statuses) {
    gatewayRequests.answerReInvites(statuses);
  }

  /** While on, each 200 to a re-INVITE of the gateway is sent twice, as if the first got lost. */
  public void resendReInviteOks(boolean on) {
    gatewayRequests.resendReInviteOks(on);
  }

  /** Sends the empty SEND that binds a connection to its chat; returns its transaction id. */
  private String bind(MsrpClient msrp, String path) throws IOException {
    String tid = RandomIds.token();
    msrp.send(MsrpWriter.send(tid, path, msrpUri(), "bind" + tid, ByteRange.whole(0), false,
        null, "text/plain", new byte[0], '$'));
    return tid;
  }

  private SipRequestText start(String method, String uri, String callId, String from,
      String to, long seq) {
    return SipRequestText.start(method, uri, transport, host + ":" + port, callId, from, to,
        seq);
  }

  private String from(String tag) {
    return "<sip:" + msisdn + "@" + host + ">;tag=" + tag;
  }

  private static String target(Response ok) {
    return ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
  }

  private static String remoteTag(Response ok) {
    return ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag();
  }

  private synchronized long nextCseq() {
    return cseq++;
  }

  @Override
  public void processRequest(RequestEvent event) {
    gatewayRequests.process(event);
  }

  @Override
  public void processResponse(ResponseEvent event) {
    Response r = event.getResponse();
    String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
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
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }
}
