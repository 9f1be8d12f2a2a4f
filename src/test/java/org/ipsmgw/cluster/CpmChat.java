package org.ipsmgw.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sip.Cpm;

/**
 * One CPM user in one chat with an SMS user, over the SIP front: its own JAIN-SIP client, the
 * MSRP connection of the chat (replaced when the gateway re-INVITEs with a new path), and what
 * arrived on it: each token of the SMS user's messages and each IMDN, counted, every SEND
 * answered 200. Sending returns the MSRP status of the message (-1: no answer or no connection).
 */
final class CpmChat implements AutoCloseable {
  static final Pattern TOKEN = Pattern.compile("tk-[A-Za-z0-9-]+");
  private static final Duration WAIT = Duration.ofSeconds(20);

  final String cpm;
  final String smsUser;
  final CpmClient client;
  final int clientPort = TestPorts.free();
  final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  /** Messages the gateway sent again under an imdn.Message-ID already shown. */
  final AtomicInteger recognisedRepeats = new AtomicInteger();
  private final java.util.Set<String> seenMessageIds = ConcurrentHashMap.newKeySet();
  final Map<String, AtomicInteger> imdns = new ConcurrentHashMap<>();
  /** When each re-INVITE from the gateway arrived (nanoTime), with the node in its Contact. */
  final List<long[]> reInvites = new CopyOnWriteArrayList<>();
  /** When each SEND of this client was answered 200 (nanoTime). */
  final List<Long> accepts = new CopyOnWriteArrayList<>();
  /** Each answered SEND: when it was sent (nanoTime) and how long its answer took (ns). */
  final List<long[]> answerTimes = new CopyOnWriteArrayList<>();
  final List<String> topVias = new CopyOnWriteArrayList<>();
  /** Every MSRP port this chat's media used, first the one of its 200. */
  final List<Integer> msrpPorts = new CopyOnWriteArrayList<>();
  CpmClient.Call call;
  Response ok;
  volatile int mediaNodeSipPort;
  volatile int msrpPort;
  private volatile MsrpClient msrp;
  private volatile String path;
  private volatile boolean closed;
  private Thread watcher;

  CpmChat(String cpm, String smsUser) throws Exception {
    this.cpm = cpm;
    this.smsUser = smsUser;
    this.client = new CpmClient("127.0.0.1", clientPort, cpm);
  }

  /** INVITE through the front; returns the final response (not yet ACKed when not 200). */
  Response invite(int frontPort) throws Exception {
    startInvite(frontPort);
    return client.awaitFinal(call, WAIT);
  }

  /** Sends the INVITE only; {@link #awaitRinging} and {@link #awaitFinal} follow its answers. */
  void startInvite(int frontPort) throws Exception {
    call = client.invite("127.0.0.1", frontPort, smsUser, "Conversation-ID: conv-"
        + RandomIds.token() + "\r\nContribution-ID: contr-" + RandomIds.token()
        + "\r\nAccept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
  }

  /** Skips 100 Trying; returns the first response from 180 up (180 for a pending invitation). */
  Response awaitRinging() throws InterruptedException {
    Response r = client.awaitResponse(call, WAIT);
    while (r.getStatusCode() < 180) {
      r = client.awaitResponse(call, WAIT);
    }
    return r;
  }

  /** The next final response of the INVITE (e.g. the 200 once the SMS user answered YES). */
  Response awaitFinal(Duration timeout) throws InterruptedException {
    return client.awaitFinal(call, timeout);
  }

  /** After a 200: ACK, connect and bind the MSRP path of its answer, start watching. */
  void established(Response okResponse) throws Exception {
    this.ok = okResponse;
    client.ack(call, ok);
    mediaNodeSipPort = ((javax.sip.address.SipURI) ((ContactHeader) ok.getHeader(
        ContactHeader.NAME)).getAddress().getURI()).getPort();
    attach(client.connectMsrp(ok), CpmClient.msrpPath(ok));
    watcher = new Thread(this::watch, "cpm-chat-" + cpm);
    watcher.setDaemon(true);
    watcher.start();
  }

  private void attach(MsrpClient connection, String newPath) {
    connection.onRequest(this::onRequest);
    this.path = newPath;
    this.msrpPort = org.ipsmgw.msrp.MsrpUri.parse(newPath).port();
    msrpPorts.add(msrpPort);
    MsrpClient old = this.msrp;
    this.msrp = connection;
    if (old != null) {
      try {
        old.close();
      } catch (IOException ignored) {
        // The old path is gone anyway.
      }
    }
  }

  private void onRequest(MsrpFrame f) {
    MsrpClient c = msrp;
    try {
      if (f.method().equals("SEND") && c != null) {
        c.send(MsrpWriter.response(f, client.msrpUri(), 200, "OK"));
      }
    } catch (IOException ignored) {
      // The gateway resends what it got no 200 for.
    }
    if (!f.method().equals("SEND") || f.body().length == 0) {
      return;
    }
    org.ipsmgw.cpim.CpimMessage cpim = CpimCodec.parse(f.body());
    String text = cpim.bodyText();
    Matcher m = TOKEN.matcher(text);
    Map<String, AtomicInteger> into = text.contains("imdn") ? imdns : received;
    String id = cpim.imdnMessageId().orElse(null);
    if (into == received && id != null && !seenMessageIds.add(id)) {
      // The gateway resent what it got no 200 for, under the same Message-ID: a client shows
      // it once (RFC 5438 §6.3), so it is no duplicate to the user.
      recognisedRepeats.incrementAndGet();
      return;
    }
    while (m.find()) {
      into.computeIfAbsent(m.group(), k -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** The gateway's requests: a re-INVITE moves the media path; the client reconnected already. */
  private void watch() {
    while (!closed) {
      Request r;
      try {
        r = client.awaitRequest(Duration.ofMillis(500));
      } catch (AssertionError | InterruptedException none) {
        continue;
      }
      ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
      topVias.add(r.getMethod() + " " + via.getHost() + ":" + via.getPort());
      if (r.getMethod().equals(Request.INVITE) && r.getRawContent() != null) {
        String sdp = new String(r.getRawContent(), StandardCharsets.UTF_8);
        int contactPort = ((javax.sip.address.SipURI) ((ContactHeader) r.getHeader(
            ContactHeader.NAME)).getAddress().getURI()).getPort();
        reInvites.add(new long[] {System.nanoTime(), contactPort});
        try {
          attach(client.awaitReconnected(WAIT), CpmClient.msrpPath(sdp));
        } catch (AssertionError | InterruptedException e) {
          // No reconnect: the sends fail and the test reports the chat as not continuing.
        }
      }
    }
  }

  /**
   * Sends one chat message carrying {@code token}, asking for a delivery notification; returns
   * the MSRP status of its SEND, -1 when it got none within {@code timeout} or could not be sent.
   */
  int send(String token, Duration timeout) {
    MsrpClient c = msrp;
    String p = path;
    if (c == null) {
      return -1;
    }
    byte[] cpim = CpimText.of(cpm, smsUser, "id-" + token, "positive-delivery", token)
        .getBytes(StandardCharsets.UTF_8);
    String tid = RandomIds.token();
    long sent = System.nanoTime();
    try {
      c.send(MsrpWriter.send(tid, p, client.msrpUri(), "m-" + token,
          ByteRange.whole(cpim.length), false, null, "message/cpim", cpim, '$'));
      int status = c.responseTo(tid, timeout).status();
      answerTimes.add(new long[] {sent, System.nanoTime() - sent});
      if (status == 200) {
        accepts.add(System.nanoTime());
      }
      return status;
    } catch (IOException | AssertionError e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The longest any SEND sent at or after {@code since} waited for its answer (ns); 0: none. */
  long slowestAnswerSince(long since) {
    return answerTimes.stream().filter(a -> a[0] >= since).mapToLong(a -> a[1]).max().orElse(0);
  }

  /** The first time a SEND of this chat was answered 200 at or after {@code since}; -1: never. */
  long firstAcceptAfter(long since) {
    return accepts.stream().filter(t -> t >= since).mapToLong(Long::longValue).min().orElse(-1);
  }

  boolean mediaWasOn(int port) {
    return msrpPorts.contains(port);
  }

  boolean reInvitedAfter(long since) {
    return reInvites.stream().anyMatch(r -> r[0] >= since);
  }

  @Override
  public String toString() {
    return cpm + "→" + smsUser + " (media on SIP node " + mediaNodeSipPort + ", msrp " + msrpPort
        + ", re-INVITEs " + reInvites.size() + ")";
  }

  @Override
  public void close() {
    closed = true;
    MsrpClient c = msrp;
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
    client.close();
  }
}
