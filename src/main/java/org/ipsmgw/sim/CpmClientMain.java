package org.ipsmgw.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.sip.header.Header;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sip.Cpm;

/**
 * {@code java -jar ipsmgw.jar cpm-client --gateway HOST:PORT ...}: a CPM user on the command line,
 * for trying a gateway by hand. stdin commands: {@code invite <msisdn>}, {@code say <text>},
 * {@code bye}, {@code page <msisdn> <text>}, {@code wait <seconds>}, {@code quit}. What the
 * gateway sends (SIP requests, MSRP chat messages and IMDNs) is answered and printed as it
 * arrives, by the threads that receive it, whatever stdin is doing.
 */
public final class CpmClientMain {
  static final String USAGE = CpmClientOptions.USAGE;
  private static final String COMMANDS = "invite <msisdn> | say <text> | bye | "
      + "page <msisdn> <text> | wait <seconds> | quit";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(500);

  private final CpmClient client;
  private final String gatewayHost;
  private final int gatewayPort;
  private final String msisdn;
  private final PrintStream out;
  // Also read and cleared by the SIP receiving thread (a BYE from the gateway ends the chat).
  private volatile CpmClient.Call call;
  private volatile Response ok;
  private volatile MsrpClient msrp;
  private volatile String path;
  /** The SMS user of the chat, its CPIM To. */
  private volatile String invited;
  private volatile boolean running = true;
  private int sent;

  private CpmClientMain(CpmClient client, String gatewayHost, int gatewayPort, String msisdn,
      PrintStream out) {
    this.client = client;
    this.gatewayHost = gatewayHost;
    this.gatewayPort = gatewayPort;
    this.msisdn = msisdn;
    this.out = out;
  }

  /** Returns the process exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CpmClientOptions o;
    try {
      o = CpmClientOptions.parse(args);
    } catch (OptionValues.BadValue e) {
      err.println("cpm-client: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("cpm-client: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (o.help()) {
      out.println(USAGE);
      return 0;
    }
    CpmClient client;
    try {
      client = new CpmClient(o.host(), o.port(), o.msisdn());
    } catch (Exception e) {
      err.println("cpm-client: cannot listen for SIP on " + o.host() + ":" + o.port() + ": "
          + e.getMessage());
      return 1;
    }
    try {
      out.println("cpm-client " + o.msisdn() + " on " + o.host() + ":" + o.port()
          + " (TCP), gateway " + o.gateway() + "; commands: " + COMMANDS);
      CpmClientMain main = new CpmClientMain(client, o.gatewayHost(), o.gatewayPort(),
          o.msisdn(), out);
      Thread sip = new Thread(main::printRequests, "cpm-client-sip");
      sip.setDaemon(true);
      sip.start();
      try {
        main.commands(in);
      } finally {
        main.running = false;
      }
      return 0;
    } catch (IOException e) {
      err.println("cpm-client: " + e.getMessage());
      return 1;
    } finally {
      client.close();
    }
  }

  private void commands(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      String[] words = line.strip().split(" ", 3);
      try {
        switch (words[0]) {
          case "invite" -> invite(words);
          case "say" -> say(line.strip().substring(3).strip());
          case "bye" -> bye();
          case "page" -> page(words);
          case "wait" -> await(words);
          case "quit" -> {
            if (call != null) {
              bye();
            }
            closeChat();
            return;
          }
          case "" -> { }
          default -> out.println("commands: " + COMMANDS);
        }
      } catch (AssertionError | Exception e) {
        out.println("! " + e.getMessage());
      }
    }
    closeChat();
  }

  private void invite(String[] words) throws Exception {
    if (words.length < 2) {
      out.println("usage: invite <msisdn>");
      return;
    }
    closeChat();
    String headers = ids() + "Accept-Contact: *;" + Cpm.SESSION_TAG + "\r\n"
        + "P-Preferred-Service: " + Cpm.SESSION_ICSI + "\r\n";
    call = client.invite(gatewayHost, gatewayPort, words[1], headers, client.offer("actpass"));
    invited = words[1];
    out.println("> INVITE " + words[1]);
    Response r;
    do {
      r = client.awaitResponse(call, WAIT);
      out.println("< " + r.getStatusCode() + " " + r.getReasonPhrase() + idsOf(r));
    } while (r.getStatusCode() < 200);
    if (r.getStatusCode() / 100 != 2) {
      call = null;
      return;
    }
    ok = r;
    client.ack(call, ok);
    MsrpClient connected = client.connectMsrp(ok);
    connected.onRequest(f -> answer(connected, f));
    msrp = connected;
    path = CpmClient.msrpPath(ok);
    out.println("> ACK; MSRP connected to " + path);
  }

  private void say(String text) throws Exception {
    if (msrp == null) {
      out.println("no chat: invite first");
      return;
    }
    String imdnId = "cli-" + (++sent);
    byte[] body = CpimText.of(msisdn, invited, imdnId, "positive-delivery, negative-delivery",
        text).getBytes(StandardCharsets.UTF_8);
    String tid = "tx-" + imdnId;
    msrp.send(MsrpWriter.send(tid, path, client.msrpUri(), "msg-" + imdnId,
        ByteRange.whole(body.length), false, null, "message/cpim", body, '$'));
    out.println("> MSRP SEND " + imdnId + ": " + text);
    out.println("< MSRP " + msrp.responseTo(tid, WAIT).status());
  }

  private void bye() throws Exception {
    if (call == null) {
      out.println("no chat");
      return;
    }
    client.inDialog(call, ok, Request.BYE, null);
    out.println("> BYE");
    Response r;
    do {
      r = client.awaitFinal(call, WAIT);
    } while (!((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod().equals(Request.BYE));
    out.println("< " + r.getStatusCode() + " " + r.getReasonPhrase());
    closeChat();
  }

  private void page(String[] words) throws Exception {
    if (words.length < 3) {
      out.println("usage: page <msisdn> <text>");
      return;
    }
    String headers = ids() + "Accept-Contact: *;" + Cpm.MSG_TAG + "\r\n"
        + "P-Preferred-Service: " + Cpm.MSG_ICSI + "\r\n";
    String cpim = CpimText.of(msisdn, words[1], "cli-p" + (++sent), "positive-delivery",
        words[2]);
    CpmClient.Call message = client.outOfDialog(Request.MESSAGE, gatewayHost, gatewayPort,
        words[1], headers, "message/cpim", cpim);
    out.println("> MESSAGE " + words[1] + ": " + words[2]);
    Response r = client.awaitFinal(message, WAIT);
    out.println("< " + r.getStatusCode() + " " + r.getReasonPhrase() + idsOf(r));
  }

  private void await(String[] words) throws InterruptedException {
    long seconds;
    try {
      seconds = words.length > 1 ? Long.parseLong(words[1]) : 5;
    } catch (NumberFormatException e) {
      out.println("usage: wait <seconds>");
      return;
    }
    // Only the command line waits: what arrives meanwhile is printed by the receiving threads.
    Thread.sleep(Duration.ofSeconds(seconds).toMillis());
  }

  /** The SIP receiving thread: prints each request of the gateway (already answered). */
  private void printRequests() {
    while (running) {
      Request r;
      try {
        r = client.awaitRequest(POLL);
      } catch (AssertionError none) {
        continue;
      } catch (InterruptedException e) {
        return;
      }
      if (r.getMethod().equals(Request.ACK)) {
        continue;
      }
      String text = r.getRawContent() == null ? "" : describe(r.getRawContent());
      out.println("< SIP " + r.getMethod() + " from " + value(r, "From") + idsOf(r)
          + (text.isEmpty() ? "" : ": " + text));
      if (r.getMethod().equals(Request.BYE)) {
        closeChat();
      }
    }
  }

  /** On the MSRP reading thread: a SEND is answered 200 at once, then printed. */
  private void answer(MsrpClient connection, MsrpFrame f) {
    if (f.method().equals("SEND")) {
      try {
        connection.send(MsrpWriter.response(f, client.msrpUri(), 200, "OK"));
      } catch (IOException e) {
        out.println("! MSRP: " + e.getMessage());
      }
      out.println("< MSRP SEND: " + describe(f.body()));
    } else {
      out.println("< MSRP " + f.method() + " " + f.header("Status").orElse(""));
    }
  }

  private static String describe(byte[] body) {
    try {
      CpimMessage m = CpimCodec.parse(body);
      if (m.contentType().equals(ImdnXml.CONTENT_TYPE)) {
        var imdn = ImdnXml.parse(m.bodyText());
        return "IMDN " + imdn.status() + " for " + imdn.messageId();
      }
      return m.header("From").orElse("?") + " \"" + m.bodyText() + "\"";
    } catch (RuntimeException notCpim) {
      return new String(body, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }
  }

  private synchronized void closeChat() {
    if (msrp != null) {
      try {
        msrp.close();
      } catch (IOException ignored) {
        // Closing a connection the gateway may already have closed.
      }
    }
    msrp = null;
    call = null;
    ok = null;
  }

  private static String ids() {
    return "Conversation-ID: " + RandomIds.cpmId() + "\r\nContribution-ID: " + RandomIds.cpmId()
        + "\r\n";
  }

  private static String idsOf(Message m) {
    String conversation = value(m, Cpm.CONVERSATION_ID);
    return conversation.isEmpty() ? "" : " [Conversation-ID " + conversation + "]";
  }

  private static String value(Message m, String name) {
    Header h = m.getHeader(name);
    if (h == null) {
      return "";
    }
    String s = h.toString().trim();
    return s.substring(s.indexOf(':') + 1).trim();
  }
}
