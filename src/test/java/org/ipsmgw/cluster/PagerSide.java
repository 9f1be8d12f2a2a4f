package org.ipsmgw.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.RandomIds;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sip.Cpm;

/**
 * A CPM user in pager mode, who is also the nodes' outbound proxy (the S-CSCF of the test): it
 * sends standalone MESSAGEs through the front and receives, from every node, the MESSAGEs that
 * carry SMS replies and IMDNs; each token of them is counted.
 */
final class PagerSide implements AutoCloseable {
  final String cpm;
  final int port = TestPorts.free();
  final CpmClient client;
  final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  /** MESSAGEs the gateway sent again under an imdn.Message-ID already shown. */
  final AtomicInteger recognisedRepeats = new AtomicInteger();
  private final java.util.Set<String> seenMessageIds = ConcurrentHashMap.newKeySet();
  final Map<String, AtomicInteger> imdns = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final Thread watcher;

  PagerSide(String cpm) throws Exception {
    this.cpm = cpm;
    this.client = new CpmClient("127.0.0.1", port, cpm);
    watcher = new Thread(this::watch, "pager-side");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** The Route every node puts on its MESSAGEs toward CPM users. */
  String outboundProxy() {
    return "sip:127.0.0.1:" + port + ";transport=tcp;lr";
  }

  /** A pager MESSAGE to the SMS user; its final status (202 accepted), -1 when none came. */
  int send(int frontPort, String smsUser, String token, Duration timeout) {
    try {
      CpmClient.Call call = client.outOfDialog(Request.MESSAGE, "127.0.0.1", frontPort, smsUser,
          "Conversation-ID: pconv-" + smsUser.substring(1) + "\r\nContribution-ID: pc-"
              + RandomIds.token() + "\r\nAccept-Contact: *;" + Cpm.MSG_TAG + "\r\n",
          "message/cpim", CpimText.of(cpm, smsUser, "id-" + token, "positive-delivery", token));
      Response r = client.awaitFinal(call, timeout);
      return r.getStatusCode();
    } catch (AssertionError none) {
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private void watch() {
    while (!closed) {
      Request r;
      try {
        r = client.awaitRequest(Duration.ofMillis(500));
      } catch (AssertionError | InterruptedException none) {
        continue;
      }
      if (!r.getMethod().equals(Request.MESSAGE) || r.getRawContent() == null) {
        continue;
      }
      String text;
      String id = null;
      try {
        org.ipsmgw.cpim.CpimMessage cpim = CpimCodec.parse(r.getRawContent());
        text = cpim.bodyText();
        id = cpim.imdnMessageId().orElse(null);
      } catch (RuntimeException notCpim) {
        text = new String(r.getRawContent(), StandardCharsets.UTF_8);
      }
      Map<String, AtomicInteger> into = text.contains("imdn") ? imdns : received;
      if (into == received && id != null && !seenMessageIds.add(id)) {
        // Sent again under the same Message-ID (its 200 was lost with a node): shown once.
        recognisedRepeats.incrementAndGet();
        continue;
      }
      Matcher m = CpmChat.TOKEN.matcher(text);
      while (m.find()) {
        into.computeIfAbsent(m.group(), k -> new AtomicInteger()).incrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }
}
