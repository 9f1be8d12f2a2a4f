package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.LogCapture;
import org.ipsmgw.Scrape;
import org.ipsmgw.TestPorts;
import org.ipsmgw.sim.SimulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a peer can make the node log: hundreds of 30 KB datagrams without CSeq from an untrusted
 * address (and some over TCP) add a few bounded lines that name no payload byte, and are all
 * counted; a MESSAGE the gateway cannot deliver (outbound proxy unreachable) never puts its text
 * in the log; a Call-ID longer than a chat can be stored under is refused before any chat and
 * never logged whole. The whole log of the node's JVM, INFO and above, is captured.
 */
class SipLogVolumeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String MARKER = "PAYLOAD-MARKER-q7Zx";
  private static final String TRUSTED = "127.0.0.2";
  private static final int UDP_DATAGRAMS = 300;
  private static final int TCP_MESSAGES = 20;
  private static EdgeNode edges;
  private static int deadProxyPort;

  @BeforeAll
  static void start() throws Exception {
    Path conf = Files.createTempFile("ipsmgw-logvolume", ".conf");
    conf.toFile().deleteOnExit();
    Files.writeString(conf, "ipsmgw.sip.trusted-peers = [\"" + TRUSTED + "\"]\n");
    deadProxyPort = TestPorts.free();
    Properties properties = new Properties();
    properties.setProperty("config.file", conf.toString());
    edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of("IPSMGW_SIP_OUTBOUND_PROXY",
        "sip:127.0.0.1:" + deadProxyPort + ";transport=tcp;lr"), properties);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  /** A request without CSeq, padded to about 30 KB with the marker, header and body. */
  private static byte[] withoutCseq(String transport, int n) {
    String body = (MARKER + " ").repeat(30_000 / (MARKER.length() + 1));
    return ("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/" + transport + " 127.0.0.1:5999;branch=z9hG4bKflood" + n + "\r\n"
        + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\n"
        + "Call-ID: flood-" + transport + "-" + n + "\r\n"
        + "X-Pad: " + MARKER + "\r\n"
        + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static double malformed(String transport) throws Exception {
    return Scrape.value(edges.node.adminPort(),
        "ipsmgw_sip_malformed_total{transport=\"" + transport + "\"}");
  }

  private static void awaitCount(String transport, double expected) throws Exception {
    Await.until(() -> {
      try {
        return malformed(transport) >= expected;
      } catch (Exception e) {
        return false;
      }
    }, WAIT, expected + " malformed over " + transport);
  }

  @Test
  void malformedFloodFromAnUntrustedAddressLogsABoundedAmountWithoutPayload() throws Exception {
    try (LogCapture log = LogCapture.attach();
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Socket tcp = new Socket(InetAddress.getLoopbackAddress(), edges.sipPort)) {
      InetSocketAddress node = new InetSocketAddress("127.0.0.1", edges.sipPort);
      for (int i = 1; i <= UDP_DATAGRAMS; i++) {
        byte[] datagram = withoutCseq("UDP", i);
        assertTrue(datagram.length > 30_000);
        udp.send(new DatagramPacket(datagram, datagram.length, node));
        // One at a time: a loopback socket buffer holds only a few 30 KB datagrams, and one it
        // dropped would be missing from the count.
        awaitCount("udp", i);
      }
      OutputStream out = tcp.getOutputStream();
      for (int i = 1; i <= TCP_MESSAGES; i++) {
        out.write(withoutCseq("TCP", i));
        out.flush();
      }
      awaitCount("tcp", TCP_MESSAGES);

      // The positive marker: a trusted peer's OPTIONS is still answered after the flood.
      try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(TRUSTED, 0))) {
        peer.setSoTimeout((int) WAIT.toMillis());
        byte[] options = ("OPTIONS sip:ipsmgw@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP " + TRUSTED + ":" + peer.getLocalPort()
            + ";branch=z9hG4bKmarker1;rport\r\nMax-Forwards: 70\r\n"
            + "From: <sip:peer@" + TRUSTED + ">;tag=m1\r\nTo: <sip:ipsmgw@127.0.0.1>\r\n"
            + "Call-ID: marker-options\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(options, options.length, node));
        DatagramPacket answer = new DatagramPacket(new byte[65_535], 65_535);
        peer.receive(answer);
        assertTrue(new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII)
            .startsWith("SIP/2.0 200"), "the trusted peer's OPTIONS answered");
      }
      assertEquals(UDP_DATAGRAMS, malformed("udp"), "every datagram counted");
      assertEquals(TCP_MESSAGES, malformed("tcp"), "every TCP message counted");

      long sent = (long) UDP_DATAGRAMS * 30_000 + (long) TCP_MESSAGES * 30_000;
      assertTrue(log.size() < 16_000, "the log grew by " + log.size() + " characters for "
          + sent + " bytes sent: " + log.lines());
      assertFalse(log.contains(MARKER), "a payload byte sequence reached the log");
      assertFalse(log.contains("79, 80, 84, 73"), "a datagram as a byte array reached the log");
      List<LogCapture.Line> reports = log.lines().stream()
          .filter(l -> l.logger().equals(MalformedRequests.class.getName())).toList();
      assertEquals(1, reports.size(), "one line per source and interval: " + reports);
      String report = reports.get(0).text();
      assertTrue(report.contains("127.0.0.1") && report.contains("no CSeq")
          && report.contains("OPTIONS sip:x@127.0.0.1 SIP/2.0\\x0D\\x0AVia"), report);
    }
  }

  @Test
  void aMessageTheOutboundProxyCannotTakeNeverPutsItsTextInTheLog() throws Exception {
    String text = "Secret-SMS-text-" + System.nanoTime();
    try (LogCapture log = LogCapture.attach()) {
      assertEquals(List.of(0), edges.smsc.injectMo("+447700933001", "+447700900555", text));
      // The positive marker: the gateway's own line that the MESSAGE did not get through.
      Await.until(() -> log.lines().stream().anyMatch(l -> l.text().contains("SIP MESSAGE")
          && (l.text().contains("not sent") || l.text().contains("I/O error"))
          || l.text().contains("SIP I/O error toward 127.0.0.1:" + deadProxyPort)),
          Duration.ofSeconds(40), "the MESSAGE's failure logged: " + log.lines());
      assertFalse(log.contains(text), "the SMS text reached the log: " + log.lines());
    }
  }

  private static String request(RawSipUdp ua, String method, String callId, String user,
      String toTag) {
    String sdp = method.equals("INVITE") ? "v=0\r\no=- 1 1 IN IP4 " + TRUSTED + "\r\ns=-\r\n"
        + "c=IN IP4 " + TRUSTED + "\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\n"
        + "a=path:msrp://" + TRUSTED + ":9/long;tcp\r\na=accept-types:message/cpim\r\n"
        + "a=setup:active\r\n" : method.equals("MESSAGE") ? "hello" : "";
    String type = method.equals("INVITE") ? "application/sdp" : "text/plain";
    String tag = method.equals("MESSAGE") ? Cpm.MSG_TAG : Cpm.SESSION_TAG;
    return method + " sip:" + user + "@127.0.0.1:" + edges.sipPort + ";user=phone SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP " + ua.host() + ":" + ua.port() + ";branch=z9hG4bK"
        + System.nanoTime() + ";rport\r\nMax-Forwards: 70\r\n"
        + "From: <sip:+447700900555@ims.example>;tag=long\r\nTo: <tel:" + user + ">"
        + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
        + "Call-ID: " + callId + "\r\nCSeq: 1 " + method + "\r\n"
        + "Contact: <sip:+447700900555@" + ua.host() + ":" + ua.port() + ";transport=udp>\r\n"
        + "Conversation-ID: Conv-long-1\r\nContribution-ID: Contr-long-1\r\n"
        + "Accept-Contact: *;" + tag + "\r\n"
        + (sdp.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
        + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
  }

  /** The next final response to that Call-ID, skipping provisional ones and other calls. */
  private static String finalTo(RawSipUdp ua, String callId) throws Exception {
    while (true) {
      String m = ua.receive(WAIT);
      if (m.startsWith("SIP/2.0 ") && !m.startsWith("SIP/2.0 1")
          && callId.equals(RawSipUdp.header(m, "Call-ID"))) {
        return m;
      }
    }
  }

  private static String sessions() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
            + edges.node.adminPort() + "/api/v1/sessions?state=ALL")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void aCallIdLongerThanAChatCanBeStoredUnderIsRefusedBeforeAnyChatAndNeverLogged()
      throws Exception {
    String user = "+447700933101";
    EdgeNode.prefer(edges.node, user, org.ipsmgw.policy.InvitationAction.ACCEPT);
    String tooLong = ("LongCallId-" + System.nanoTime() + "-").repeat(20).substring(0, 300);
    try (LogCapture log = LogCapture.attach(); RawSipUdp ua = new RawSipUdp(TRUSTED)) {
      ua.send(request(ua, "INVITE", tooLong, user, null), edges.sipPort);
      String refused = finalTo(ua, tooLong);
      assertTrue(refused.startsWith("SIP/2.0 400 Call-ID too long"), refused);
      ua.send(request(ua, "BYE", tooLong, user, "gw1"), edges.sipPort);
      assertTrue(finalTo(ua, tooLong).startsWith("SIP/2.0 481 Call-ID too long"));
      ua.send(request(ua, "MESSAGE", tooLong, user, null), edges.sipPort);
      assertTrue(finalTo(ua, tooLong).startsWith("SIP/2.0 400 Call-ID too long"));

      // The positive marker: a chat invited after the refused one is in the journal's list.
      String normal = "long-marker-" + System.nanoTime();
      ua.send(request(ua, "INVITE", normal, user, null), edges.sipPort);
      String ok = finalTo(ua, normal);
      assertTrue(ok.startsWith("SIP/2.0 200"), ok);
      String toTag = RawSipUdp.header(ok, "To");
      ua.send(request(ua, "ACK", normal, user, toTag.substring(toTag.indexOf(";tag=") + 5)),
          edges.sipPort);
      Await.until(() -> {
        try {
          return sessions().contains(normal);
        } catch (Exception e) {
          return false;
        }
      }, WAIT, "the marker chat listed");
      assertFalse(sessions().contains(tooLong.substring(0, 40)), "no chat for the long Call-ID");

      assertTrue(log.contains("with a Call-ID of 300 characters (at most 200)"), log.lines()
          .toString());
      // A peer-chosen value is cut at 64 characters wherever the log names it.
      assertFalse(log.contains(tooLong.substring(0, 65)), "the long Call-ID reached the log: "
          + log.lines());
    }
  }
}
