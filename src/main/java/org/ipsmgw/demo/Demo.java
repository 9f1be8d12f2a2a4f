package org.ipsmgw.demo;

import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.FreePorts;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.sip.Cpm;
import org.ipsmgw.sms.ConcatInfo;
import org.ipsmgw.sms.SmsTextDecoder;
import org.ipsmgw.sms.UserDataHeader;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ipsmgw.jar demo}: a node, the SMSC simulator and a CPM client in one process on
 * free loopback ports. It plays the three invitation behaviours and a two-way chat (with a long
 * non-GSM text and emoji), prints what crossed each wire, and exits 0 when every step happened as
 * the gateway promises, 1 with the failed step otherwise.
 */
public final class Demo {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "127.0.0.1";
  private static final String ALICE = "+447700900555";
  private static final String BOB = "+447700900777";
  private static final String CAROL = "+447700900778";
  private static final String DAVE = "+447700900779";
  private static final String ERIN = "+447700900780";
  private static final String FRANK = "+447700900781";
  private static final String GRACE = "+447700900782";

  private final Transcript say;
  private final SmscSimulator smsc;
  private final RunningNode node;
  private final CpmClient alice;
  private final int sipPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private int submitsSeen;
  private int conversation;

  private Demo(Transcript say, SmscSimulator smsc, RunningNode node, CpmClient alice,
      int sipPort) {
    this.say = say;
    this.smsc = smsc;
    this.node = node;
    this.alice = alice;
    this.sipPort = sipPort;
  }

  /** Runs the demo; the exit code of the process. */
  public static int run(PrintStream out, PrintStream err) {
    // The transcript is the output; the node's own log would drown it.
    for (String logger : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "org.apache.pekko")) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(Level.ERROR);
    }
    Path dir = null;
    SmscSimulator smsc = null;
    RunningNode node = null;
    CpmClient alice = null;
    try {
      dir = Files.createTempDirectory("ipsmgw-demo");
      smsc = SmscSimulator.start(SimulatorOptions.defaults()
          .withReceipts(Duration.ofMillis(100), 1.0));
      int sipPort = freePort();
      Map<String, String> env = new HashMap<>();
      env.put("IPSMGW_DB_URL", "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath());
      env.put("IPSMGW_SIP_PORT", String.valueOf(sipPort));
      env.put("IPSMGW_MSRP_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_ADMIN_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_CLUSTER_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_SMSC_PORT", String.valueOf(smsc.port()));
      int alicePort = freePort();
      // The IMS core of the demo is Alice's client itself: the gateway's own requests go there.
      env.put("IPSMGW_SIP_OUTBOUND_PROXY", "sip:" + HOST + ":" + alicePort + ";transport=tcp;lr");
      Config config = NodeConfig.load(null, env, new Properties());
      out.println("ipsmgw demo: a node, the SMSC simulator and a CPM client on 127.0.0.1");
      out.printf("  node: SIP %d, MSRP %d, admin %d; SMSC simulator: SMPP %d%n", sipPort,
          config.getInt("ipsmgw.msrp.port"), config.getInt("ipsmgw.admin.port"), smsc.port());
      out.println("  Alice " + ALICE + " uses CPM; Bob " + BOB + ", Carol " + CAROL + ", Dave "
          + DAVE + ", Erin " + ERIN + ", Frank " + FRANK + " and Grace " + GRACE
          + " only have SMS.");
      node = Node.start(config);
      SmscSimulator sim = smsc;
      awaitTrue(() -> sim.boundSessions() > 0, "the gateway binds to the SMSC");
      alice = new CpmClient(HOST, alicePort, ALICE);
      new Demo(new Transcript(out), smsc, node, alice, sipPort).play();
      out.println();
      out.println("demo finished: every step above crossed a real socket and was checked.");
      return 0;
    } catch (Throwable e) {
      out.flush();
      err.println("ipsmgw: demo failed: " + e.getMessage());
      return 1;
    } finally {
      if (alice != null) {
        alice.close();
      }
      if (node != null) {
        node.stop();
      }
      if (smsc != null) {
        smsc.close();
      }
      deleteQuietly(dir);
    }
  }

  private void play() throws Exception {
    accepted();
    rejected();
    invitedBySms();
    declinedBySms();
    pagerMode();
    smsOriginated();
    summary();
  }

  // --- the scenes ------------------------------------------------------------------------------

  private void accepted() throws Exception {
    say.scene("ACCEPT: Bob told the operator to accept chats for him");
    admin("PUT", "/api/v1/subscribers/" + BOB + "/preferences", "{\"invitation\":\"ACCEPT\"}", 200);
    CpmClient.Call call = invite(BOB);
    Response ok = finalResponse(call, 200);
    alice.ack(call, ok);
    say.line("SIP", "Alice → gateway", "ACK");
    try (MsrpClient msrp = alice.connectMsrp(ok)) {
      say.line("MSRP", "Alice → gateway", "empty SEND binds the connection to the chat → 200");
      String path = path(ok);
      String hello = "Hi Bob! Are we still on for tonight? 🍕";
      sendChat(msrp, path, BOB, "imdn-1", hello);
      expectSms(BOB, hello);
      expectImdn(msrp, "imdn-1", "delivered");

      String reply = "Yes! 8pm at Luigi's. Don't be late :-)";
      mo(BOB, ALICE, reply);
      expectChat(msrp, BOB, reply);

      String longText = "Καλημέρα Bob! Θα φέρω το κρασί που σου άρεσε την προηγούμενη φορά και "
          + "ένα γλυκό για μετά. Τα λέμε στις οκτώ 🍷🎂";
      sendChat(msrp, path, BOB, "imdn-2", longText);
      expectSms(BOB, longText);
      expectImdn(msrp, "imdn-2", "delivered");
    }
    alice.inDialog(call, ok, Request.BYE, null);
    say.line("SIP", "Alice → gateway", "BYE");
    expectFinal(call, 200);
    expectSms(BOB, null);
  }

  private void rejected() throws Exception {
    say.scene("REJECT: Carol does not want chats");
    admin("PUT", "/api/v1/subscribers/" + CAROL + "/preferences", "{\"invitation\":\"REJECT\"}",
        200);
    CpmClient.Call call = invite(CAROL);
    finalResponse(call, 603);
    // "No SMS" is checked once an SMS the gateway sends later (Dave's invitation) has arrived.
  }

  private void noSmsTo(String name, String user, String marker) {
    if (smsc.submits().stream().anyMatch(s -> s.destination().equals(user.substring(1)))) {
      throw new IllegalStateException("an SMS was sent to " + name + " after a rejection");
    }
    say.note("no SMS was sent to " + name + " (checked after " + marker + " had arrived)");
  }

  private void invitedBySms() throws Exception {
    say.scene("INVITE_BY_SMS: the operator's default; Dave answers by SMS");
    CpmClient.Call call = invite(DAVE);
    awaitProvisional(call);
    ReceivedSubmit invitation = expectSms(DAVE, null).get(0);
    noSmsTo("Carol", CAROL, "Dave's invitation SMS, sent later,");
    String correlation = "+" + invitation.source();
    mo(DAVE, correlation, "yes");
    Response ok = finalResponse(call, 200);
    alice.ack(call, ok);
    say.line("SIP", "Alice → gateway", "ACK");
    try (MsrpClient msrp = alice.connectMsrp(ok)) {
      say.line("MSRP", "Alice → gateway", "empty SEND binds the connection to the chat → 200");
      String text = "Hello Dave, thanks for accepting. Lunch on Friday?";
      sendChat(msrp, path(ok), DAVE, "imdn-3", text);
      expectSms(DAVE, text);
      expectImdn(msrp, "imdn-3", "delivered");
      String answer = "Friday works, see you then";
      mo(DAVE, correlation, answer);
      expectChat(msrp, DAVE, answer);
      mo(DAVE, correlation, "STOP");
      Request bye = awaitRequest(Request.BYE);
      say.line("SIP", "gateway → Alice", "BYE " + ids(bye) + " → Alice answers 200");
    }
  }

  private void declinedBySms() throws Exception {
    say.scene("INVITE_BY_SMS, declined: Erin replies NO");
    CpmClient.Call call = invite(ERIN);
    awaitProvisional(call);
    ReceivedSubmit invitation = expectSms(ERIN, null).get(0);
    mo(ERIN, "+" + invitation.source(), "NO");
    finalResponse(call, 603);
  }

  private void pagerMode() throws Exception {
    say.scene("Pager mode: a standalone MESSAGE to Bob, and his SMS reply");
    conversation++;
    String headers = "Conversation-ID: demo-conv-" + conversation + "\r\n"
        + "Contribution-ID: demo-contrib-" + conversation + "\r\n"
        + "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
        + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n";
    String text = "Running 10 minutes late, sorry!";
    String cpim = "From: <tel:" + ALICE + ">\r\nTo: <tel:" + BOB + ">\r\nDateTime: "
        + Instant.now() + "\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: imdn-p\r\n"
        + "imdn.Disposition-Notification: positive-delivery\r\n\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n\r\n" + text;
    CpmClient.Call call = alice.outOfDialog(Request.MESSAGE, HOST, sipPort, BOB, headers,
        "message/cpim", cpim);
    say.line("SIP", "Alice → gateway", "MESSAGE tel:" + BOB + " (CPM standalone, CPIM "
        + Transcript.quoted(text) + ", Conversation-ID demo-conv-" + conversation + ")");
    Response accepted = alice.awaitFinal(call, WAIT);
    say.line("SIP", "gateway → Alice", accepted.getStatusCode() + " "
        + accepted.getReasonPhrase() + " " + ids(accepted));
    if (accepted.getStatusCode() != 202) {
      throw new IllegalStateException("expected 202 to the MESSAGE, got "
          + accepted.getStatusCode());
    }
    expectSms(BOB, text);
    Request imdn = awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE with IMDN "
        + ImdnXml.parse(CpimCodec.parse(imdn.getRawContent()).bodyText()).status() + " "
        + ids(imdn));
    mo(BOB, ALICE, "No worries, see you soon");
    Request reply = awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE from " + value(reply, "From") + ": "
        + Transcript.quoted(CpimCodec.parse(reply.getRawContent()).bodyText()) + " "
        + ids(reply) + " InReplyTo-Contribution-ID " + value(reply, "InReplyTo-Contribution-ID"));
  }

  private void smsOriginated() throws Exception {
    say.scene("SMS-originated: Frank and Grace text Alice's number first");
    mo(FRANK, ALICE, "Hi Alice, it's Frank. New number!");
    Request started = awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE " + started.getRequestURI() + " from "
        + value(started, "From") + ": "
        + Transcript.quoted(CpimCodec.parse(started.getRawContent()).bodyText())
        + " (new Conversation-ID " + value(started, "Conversation-ID") + ")");
    admin("PUT", "/api/v1/policy", "{\"sms-originated\":\"CHAT\"}", 200);
    String hello = "Hi Alice, Grace here. Can we chat?";
    mo(GRACE, ALICE, hello);
    Request invite = awaitRequest(Request.INVITE);
    say.line("SIP", "gateway → Alice", "INVITE " + invite.getRequestURI() + " from "
        + value(invite, "From") + " " + ids(invite) + " (MSRP offer, actpass) → Alice answers 200");
    try (MsrpClient msrp = alice.awaitReconnected(WAIT)) {
      say.line("MSRP", "Alice → gateway", "connects to the offered path and binds it");
      expectChat(msrp, GRACE, hello);
      String path = new String(invite.getRawContent(), StandardCharsets.UTF_8).lines()
          .filter(l -> l.startsWith("a=path:")).findFirst().orElseThrow()
          .substring("a=path:".length()).trim();
      String answer = "Hi Grace! Sure.";
      sendChat(msrp, path, GRACE, "imdn-g", answer);
      expectSms(GRACE, answer);
      expectImdn(msrp, "imdn-g", "delivered");
      mo(GRACE, ALICE, "STOP");
      Request bye = awaitRequest(Request.BYE);
      say.line("SIP", "gateway → Alice", "BYE " + ids(bye) + " → Alice answers 200");
    }
    admin("PUT", "/api/v1/policy", "{\"sms-originated\":\"PAGER\"}", 200);
  }

  private Request awaitMessage() throws Exception {
    return awaitRequest(Request.MESSAGE);
  }

  /** The gateway's next request of this method; ACKs for Alice's 200s are passed over. */
  private Request awaitRequest(String method) throws Exception {
    Request r = alice.awaitRequest(WAIT);
    while (r.getMethod().equals(Request.ACK)) {
      r = alice.awaitRequest(WAIT);
    }
    if (!r.getMethod().equals(method)) {
      throw new IllegalStateException("expected " + method + " from the gateway, got "
          + r.getMethod());
    }
    return r;
  }

  private void summary() throws Exception {
    say.scene("The operator's view: GET /api/v1/sessions?state=ALL");
    HttpResponse<String> r = http.send(request("GET", "/api/v1/sessions?state=ALL", null),
        HttpResponse.BodyHandlers.ofString());
    var sessions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body())
        .get("sessions");
    for (var s : sessions) {
      say.line("HTTP", s.get("smsMsisdn").asText(), s.get("state").asText() + ", messages to SMS "
          + s.get("messages").get("toSms").asInt() + ", to CPM "
          + s.get("messages").get("toCpm").asInt() + ", Conversation-ID "
          + s.get("conversationId").asText());
    }
  }

  // --- SIP -------------------------------------------------------------------------------------

  private CpmClient.Call invite(String smsUser) throws Exception {
    conversation++;
    String headers = "Conversation-ID: demo-conv-" + conversation + "\r\n"
        + "Contribution-ID: demo-contrib-" + conversation + "\r\n"
        + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
        + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
    CpmClient.Call call = alice.invite(HOST, sipPort, smsUser, headers, alice.offer("actpass"));
    say.line("SIP", "Alice → gateway", "INVITE tel:" + smsUser + " (CPM chat, MSRP offer, "
        + "Conversation-ID demo-conv-" + conversation + ", Contribution-ID demo-contrib-"
        + conversation + ")");
    return call;
  }

  private Response finalResponse(CpmClient.Call call, int expected) throws Exception {
    while (true) {
      Response r = alice.awaitResponse(call, WAIT);
      say.line("SIP", "gateway → Alice", r.getStatusCode() + " " + r.getReasonPhrase()
          + (r.getStatusCode() >= 200 ? " " + ids(r) : ""));
      if (r.getStatusCode() >= 200) {
        if (r.getStatusCode() != expected) {
          throw new IllegalStateException("expected " + expected + ", got " + r.getStatusCode());
        }
        if (!ids(r).contains("demo-conv-")) {
          throw new IllegalStateException("the CPM identifiers were not echoed: " + ids(r));
        }
        return r;
      }
    }
  }

  private void expectFinal(CpmClient.Call call, int expected) throws Exception {
    finalResponse(call, expected);
  }

  private void awaitProvisional(CpmClient.Call call) throws Exception {
    while (true) {
      Response r = alice.awaitResponse(call, WAIT);
      say.line("SIP", "gateway → Alice", r.getStatusCode() + " " + r.getReasonPhrase());
      if (r.getStatusCode() == 180) {
        return;
      }
      if (r.getStatusCode() >= 200) {
        throw new IllegalStateException("expected 180, got " + r.getStatusCode());
      }
    }
  }

  private static String ids(javax.sip.message.Message m) {
    return "[Conversation-ID " + value(m, "Conversation-ID") + ", Contribution-ID "
        + value(m, "Contribution-ID") + "]";
  }

  private static String value(javax.sip.message.Message m, String name) {
    javax.sip.header.Header h = m.getHeader(name);
    if (h == null) {
      return "-";
    }
    String s = h.toString().trim();
    return s.substring(s.indexOf(':') + 1).trim();
  }

  private static String path(Response ok) {
    return new String(ok.getRawContent(), StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("a=path:")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no a=path in the 200"))
        .substring("a=path:".length()).trim();
  }

  // --- MSRP ------------------------------------------------------------------------------------

  private void sendChat(MsrpClient msrp, String path, String to, String imdnId, String text)
      throws Exception {
    byte[] cpim = ("From: <tel:" + ALICE + ">\r\nTo: <tel:" + to + ">\r\n"
        + "DateTime: " + Instant.now() + "\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: " + imdnId + "\r\n"
        + "imdn.Disposition-Notification: positive-delivery, negative-delivery\r\n\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n\r\n" + text)
        .getBytes(StandardCharsets.UTF_8);
    String tid = "tx-" + imdnId;
    msrp.send(MsrpWriter.send(tid, path, alice.msrpUri(), "msg-" + imdnId,
        ByteRange.whole(cpim.length), false, "yes", "message/cpim", cpim, '$'));
    say.line("MSRP", "Alice → gateway", "SEND CPIM text/plain " + Transcript.quoted(text)
        + " (imdn.Message-ID " + imdnId + ", asks for delivery notifications)");
    MsrpFrame answer = msrp.responseTo(tid, WAIT);
    if (answer.status() != 200) {
      throw new IllegalStateException("MSRP SEND answered " + answer.status());
    }
    say.line("MSRP", "gateway → Alice", "200 OK");
  }

  private CpimMessage receive(MsrpClient msrp) throws Exception {
    MsrpFrame send = msrp.nextRequest(WAIT);
    if (send == null || !send.method().equals("SEND")) {
      throw new IllegalStateException("expected an MSRP SEND from the gateway, got " + send);
    }
    msrp.send(MsrpWriter.response(send, alice.msrpUri(), 200, "OK"));
    return CpimCodec.parse(send.body());
  }

  private void expectChat(MsrpClient msrp, String from, String text) throws Exception {
    CpimMessage m = receive(msrp);
    if (!m.bodyText().equals(text) || !m.header("From").orElse("").contains(from)) {
      throw new IllegalStateException("expected " + Transcript.quoted(text) + " from " + from
          + ", got " + m);
    }
    say.line("MSRP", "gateway → Alice", "SEND CPIM From " + m.header("From").orElse("?")
        + ", imdn.Message-ID " + m.imdnMessageId().orElse("?") + ": "
        + Transcript.quoted(m.bodyText()) + " → Alice answers 200");
  }

  private void expectImdn(MsrpClient msrp, String imdnId, String status) throws Exception {
    CpimMessage m = receive(msrp);
    Imdn imdn = ImdnXml.parse(m.bodyText());
    if (!imdn.messageId().equals(imdnId) || imdn.kind() != Imdn.Kind.DELIVERY
        || !imdn.status().equals(status)) {
      throw new IllegalStateException("expected a " + status + " IMDN for " + imdnId + ", got "
          + imdn);
    }
    say.line("MSRP", "gateway → Alice", "IMDN " + imdn.kind().element() + " "
        + imdn.status() + " for " + imdnId + " (from the SMSC's delivery receipt)");
  }

  // --- SMS -------------------------------------------------------------------------------------

  /** Waits for the next message to {@code user} (all its parts) and prints each part. */
  private List<ReceivedSubmit> expectSms(String user, String text) throws Exception {
    String dest = user.substring(1);
    java.util.concurrent.atomic.AtomicReference<List<ReceivedSubmit>> found =
        new java.util.concurrent.atomic.AtomicReference<>();
    awaitTrue(() -> {
      List<ReceivedSubmit> all = smsc.submits();
      List<ReceivedSubmit> fresh = all.subList(Math.min(submitsSeen, all.size()), all.size())
          .stream().filter(s -> s.destination().equals(dest)).toList();
      if (fresh.isEmpty()) {
        return false;
      }
      int total = concat(fresh.get(0)).map(ConcatInfo::total).orElse(1);
      if (fresh.size() < total) {
        return false;
      }
      found.set(fresh.subList(0, total));
      return true;
    }, "an SMS to " + user);
    List<ReceivedSubmit> parts = found.get();
    submitsSeen = smsc.submits().indexOf(parts.get(parts.size() - 1)) + 1;
    StringBuilder whole = new StringBuilder();
    for (ReceivedSubmit part : parts) {
      byte[] ud = part.userData();
      String decoded = SmsTextDecoder.decode(part.dataCoding(), ud, 0, ud.length, false, 0);
      whole.append(decoded);
      String label = concat(part).map(c -> "part " + c.seq() + "/" + c.total())
          .orElse("single SMS");
      say.line("SMPP", "gateway → SMSC", "submit_sm " + part.source() + " → " + dest + ", "
          + (part.dataCoding() == 8 ? "UCS-2" : "GSM 7-bit") + ", " + label + ": "
          + Transcript.quoted(decoded));
    }
    if (text != null && !whole.toString().equals(text)) {
      throw new IllegalStateException("the SMS parts read " + Transcript.quoted(whole.toString())
          + ", expected " + Transcript.quoted(text));
    }
    return parts;
  }

  private static java.util.Optional<ConcatInfo> concat(ReceivedSubmit part) {
    return (part.esmClass() & 0x40) == 0 ? java.util.Optional.empty()
        : UserDataHeader.findConcat(part.shortMessage());
  }

  private void mo(String from, String to, String text) {
    List<Integer> status = smsc.injectMo(from, to, text);
    say.line("SMPP", "SMSC → gateway", "deliver_sm " + from.substring(1) + " → " + to.substring(1)
        + ": " + Transcript.quoted(text) + " → deliver_sm_resp " + status);
    if (status.stream().anyMatch(s -> s != 0)) {
      throw new IllegalStateException("the gateway refused the MO SMS: " + status);
    }
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private void admin(String method, String path, String body, int expected) throws Exception {
    HttpResponse<String> r = http.send(request(method, path, body),
        HttpResponse.BodyHandlers.ofString());
    say.line("HTTP", "operator → gateway", method + " " + path + " " + body + " → "
        + r.statusCode());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": "
          + r.body());
    }
  }

  private HttpRequest request(String method, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + node.adminPort() + path))
        .timeout(WAIT).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
  }

  // --- plumbing --------------------------------------------------------------------------------

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Free for TCP and UDP: the node binds its SIP port (and Alice hers) for both. */
  private static int freePort() throws IOException {
    return FreePorts.free(InetAddress.getByName(HOST));
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless; the demo's result is what matters.
    }
  }
}
