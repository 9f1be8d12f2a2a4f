package org.ipsmgw.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.RandomIds;
import org.ipsmgw.TestFiles;
import org.ipsmgw.TestPorts;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.msrp.ByteRange;
import org.ipsmgw.msrp.MsrpFrame;
import org.ipsmgw.msrp.MsrpWriter;
import org.ipsmgw.sim.CpimText;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sip.Cpm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node in-process on a real PostgreSQL that is stopped for 15 s while a chat carries traffic
 * both ways, and started again on the same data and port: within a few seconds of its return the
 * chats serve again (MSRP 200, MO answered 0 and delivered), every message acknowledged before,
 * during or after the outage is delivered, an MO once, and a SEND answered with an error and sent
 * again (as a client does, same Message-ID) is not delivered twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {
  private static final Pattern TOKEN = Pattern.compile("tk-[a-z]+-[0-9]+");
  private static final Duration OUTAGE = Duration.ofSeconds(15);
  /** How soon after the database is back every chat must serve again. */
  private static final Duration SERVING_AGAIN = Duration.ofSeconds(10);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(12);
  private static final int CHATS = 4;

  private final AtomicInteger serial = new AtomicInteger();
  /** Per chat: how long after the database's return it first answered MSRP 200 and MO 0. */
  private final List<String> slow = new ArrayList<>();
  private final List<String> lost = new ArrayList<>();
  private final List<String> moTwice = new ArrayList<>();
  private final List<String> mtResentTwice = new ArrayList<>();

  /** The PostgreSQL data directory of the scenario (39 MB), deleted after the class. */
  private Path data;

  /** The scenario, once: its outcome is asserted property by property below. */
  @BeforeAll
  void fifteenSecondStopUnderTraffic() throws Exception {
    data = Files.createTempDirectory("ipsmgw-outage-pg");
    int pgPort = TestPorts.free();
    EmbeddedPostgres pg = startPostgres(data, pgPort);
    Properties props = new Properties();
    props.setProperty("ipsmgw.policy.default-invitation", "ACCEPT");
    props.setProperty("ipsmgw.smsc.reconnect.min-backoff", "200ms");
    props.setProperty("ipsmgw.smsc.reconnect.max-backoff", "1s");
    List<Chat> chats = new ArrayList<>();
    try (EdgeNode edges = EdgeNode.builder().env(Map.of(
        "IPSMGW_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
        "IPSMGW_DB_USER", "postgres",
        "IPSMGW_DB_PASSWORD", "postgres")).properties(props).start()) {
      for (int i = 0; i < CHATS; i++) {
        Chat c = new Chat("+44770093100" + i, "+44770093200" + i, edges);
        chats.add(c);
        c.establish(edges.sipPort);
        for (int k = 0; k < 2; k++) {
          assertEquals(200, c.sendMt(token("mt")), "a SEND before the outage");
          assertEquals(List.of(0), c.injectMo(token("mo")), "an MO before the outage");
        }
      }
      pg.close();
      long stopped = System.nanoTime();
      List<Thread> pumps = new ArrayList<>();
      for (Chat c : chats) {
        Thread t = new Thread(() -> {
          while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            c.sendMt(token("mt"));
            c.injectMo(token("mo"));
          }
        }, "outage-pump");
        t.start();
        pumps.add(t);
      }
      for (Thread t : pumps) {
        t.join();
      }
      pg = startPostgres(data, pgPort);
      long back = System.nanoTime();
      chats.forEach(c -> c.back = back);
      for (Chat c : chats) {
        long mtServing = -1;
        long moServing = -1;
        while ((mtServing < 0 || moServing < 0)
            && System.nanoTime() - back < SERVING_AGAIN.plusSeconds(50).toNanos()) {
          if (mtServing < 0 && c.sendMt(token("mt")) == 200) {
            mtServing = System.nanoTime() - back;
          }
          if (moServing < 0 && c.injectMo(token("mo")).equals(List.of(0))) {
            moServing = System.nanoTime() - back;
          }
        }
        System.out.printf("%s: after the return " + c.log + "%n", c.cpm);
        System.out.printf("%s: database back → MSRP 200 after %.1f s, MO 0 after %.1f s%n",
            c.cpm, mtServing / 1e9, moServing / 1e9);
        if (mtServing < 0 || moServing < 0 || mtServing > SERVING_AGAIN.toNanos()
            || moServing > SERVING_AGAIN.toNanos()) {
          slow.add(c.cpm + String.format(" MSRP 200 %.1f s, MO 0 %.1f s", mtServing / 1e9,
              moServing / 1e9));
        }
      }
      for (Chat c : chats) {
        c.resendUntilAccepted();
        // Markers: once these arrived, anything earlier that was going to arrive has.
        String mtMark = token("mt");
        String moMark = token("mo");
        assertEquals(200, c.sendMt(mtMark));
        assertEquals(List.of(0), c.injectMo(moMark));
        Await.until(() -> c.mtCount(mtMark) == 1 && c.moCount(moMark) == 1,
            Duration.ofSeconds(30), c.cpm + " markers delivered");
        c.account(lost, moTwice, mtResentTwice);
      }
    } finally {
      chats.forEach(Chat::close);
      pg.close();
    }
  }

  @AfterAll
  void deleteTheDatabase() throws IOException {
    if (data != null) {
      TestFiles.deleteTree(data);
    }
  }

  @Test
  void chatsServeAgainWithinSecondsOfTheDatabasesReturn() {
    assertEquals(List.of(), slow, "chats serving (MSRP 200 and MO 0) within " + SERVING_AGAIN
        + " of the database's return");
  }

  @Test
  void nothingAcknowledgedIsLost() {
    assertEquals(List.of(), lost, "every message accepted (MSRP 200, MO 0) is delivered");
  }

  @Test
  void anAcknowledgedMoIsDeliveredOnce() {
    assertEquals(List.of(), moTwice, "each MO (resent until answered 0) reaches the CPM user "
        + "as one message");
  }

  /** The chat recognises a resent SEND by its Message-ID (the SEND first got 408 or nothing). */
  @Test
  void aSendAnsweredWithAnErrorAndResentIsDeliveredOnce() {
    assertEquals(List.of(), mtResentTwice, "a SEND answered with an error, sent again with the "
        + "same Message-ID and accepted, leaves as one SMS");
  }

  private String token(String kind) {
    return "tk-" + kind + "-" + serial.incrementAndGet();
  }

  private static List<String> tokens(String text) {
    return TOKEN.matcher(text).results().map(m -> m.group()).toList();
  }

  private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(new File("target/embedded-pg"))
        .setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  /**
   * One CPM user's chat with one SMS user: its MSRP connection (replaced when the gateway
   * re-INVITEs after the chat came back from the journal), every answer each message got, and
   * what arrived at the CPM side.
   */
  private static final class Chat implements AutoCloseable {
    final String cpm;
    final String sms;
    final EdgeNode edges;
    /** The MSRP Message-IDs each SMS user's token arrived in (a repeat of one is one message). */
    final Map<String, Set<String>> moReceived = new ConcurrentHashMap<>();
    /** Every answer each token got (MSRP status, or the SMPP status of its deliver_sm). */
    final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();
    /** What each call after the database's return got, when (ms since it was back). */
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile long back = Long.MAX_VALUE;
    volatile MsrpClient msrp;
    volatile String path;
    volatile boolean closed;
    CpmClient client;

    Chat(String cpm, String sms, EdgeNode edges) {
      this.cpm = cpm;
      this.sms = sms;
      this.edges = edges;
    }

    void establish(int sipPort) throws Exception {
      client = new CpmClient("127.0.0.1", TestPorts.free(), cpm);
      CpmClient.Call call = client.invite("127.0.0.1", sipPort, sms, "Conversation-ID: conv-"
          + RandomIds.token() + "\r\nContribution-ID: contr-" + RandomIds.token()
          + "\r\nAccept-Contact: *;" + Cpm.SESSION_TAG + "\r\n", client.offer("actpass"));
      Response ok = client.awaitFinal(call, Duration.ofSeconds(20));
      assertEquals(200, ok.getStatusCode(), "chat accepted: " + ok);
      client.ack(call, ok);
      attach(client.connectMsrp(ok), CpmClient.msrpPath(ok));
      Thread watcher = new Thread(this::watch, "outage-chat-" + cpm);
      watcher.setDaemon(true);
      watcher.start();
    }

    private void attach(MsrpClient connection, String newPath) {
      connection.onRequest(this::onRequest);
      MsrpClient old = msrp;
      path = newPath;
      msrp = connection;
      if (old != null) {
        try {
          old.close();
        } catch (IOException ignored) {
          // The old path is gone anyway.
        }
      }
    }

    /** A re-INVITE from the gateway moves the media path; the client reconnected already. */
    private void watch() {
      while (!closed) {
        Request r;
        try {
          r = client.awaitRequest(Duration.ofMillis(500));
        } catch (AssertionError | InterruptedException none) {
          continue;
        }
        if (r.getMethod().equals(Request.INVITE) && r.getRawContent() != null) {
          try {
            attach(client.awaitReconnected(Duration.ofSeconds(20)),
                CpmClient.msrpPath(r));
          } catch (AssertionError | InterruptedException e) {
            // No reconnect: the sends fail and the test reports the chat as not serving.
          }
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
      String text = CpimCodec.parse(f.body()).bodyText();
      if (text.contains("imdn")) {
        return;
      }
      String messageId = f.messageId().orElse("none");
      tokens(text).forEach(t ->
          moReceived.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet()).add(messageId));
    }

    /** One chat message carrying {@code t} (Message-ID and IMDN id from it); its MSRP status. */
    int sendMt(String t) {
      byte[] cpim = CpimText.of(cpm, sms, "id-" + t, "positive-delivery", t)
          .getBytes(StandardCharsets.UTF_8);
      String tid = RandomIds.token();
      int status;
      try {
        MsrpClient c = msrp;
        c.send(MsrpWriter.send(tid, path, client.msrpUri(), "m-" + t,
            ByteRange.whole(cpim.length), false, null, "message/cpim", cpim, '$'));
        status = answer(c, tid);
      } catch (IOException | AssertionError e) {
        status = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = -1;
      }
      answers.computeIfAbsent(t, k -> new CopyOnWriteArrayList<>()).add(status);
      note(t, status);
      return status;
    }

    /**
     * The status of the answer to SEND {@code tid} on {@code c}; -1 without one in SEND_TIMEOUT
     * or once the gateway's re-INVITE replaced the connection (the client closed the old one).
     */
    private int answer(MsrpClient c, String tid) throws InterruptedException {
      long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && msrp == c) {
        try {
          return c.responseTo(tid, Duration.ofMillis(250)).status();
        } catch (AssertionError notYet) {
          // Keep waiting while this connection is the chat's.
        }
      }
      return -1;
    }

    List<Integer> injectMo(String t) {
      List<Integer> statuses = edges.smsc.injectMo(sms, cpm, t);
      answers.computeIfAbsent(t, k -> new CopyOnWriteArrayList<>())
          .add(statuses.isEmpty() ? -1 : statuses.get(0));
      note(t, statuses.isEmpty() ? -1 : statuses.get(0));
      return statuses;
    }

    private void note(String t, int status) {
      long since = System.nanoTime() - back;
      if (since >= 0) {
        log.add(t + "=" + status + "@" + since / 1_000_000);
      }
    }

    /** Resends each message not yet accepted, oldest first, as a client or SMSC would. */
    void resendUntilAccepted() {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (Map.Entry<String, List<Integer>> e : sorted()) {
        String t = e.getKey();
        boolean mt = t.startsWith("tk-mt");
        while (!e.getValue().contains(mt ? 200 : 0) && System.nanoTime() < deadline) {
          if (mt) {
            sendMt(t);
          } else {
            injectMo(t);
          }
        }
      }
    }

    /**
     * Sorts each message into what was accepted but never delivered, an MO delivered as more than
     * one message, and a SEND answered with an error, resent and delivered more than once. A SEND
     * accepted at once yet submitted twice (the chat restarted between the SMSC's submit_sm_resp
     * and persisting it, so it submits again) is the SMPP duplicate window: printed, not counted.
     */
    void account(List<String> lost, List<String> moTwice, List<String> mtResentTwice) {
      for (Map.Entry<String, List<Integer>> e : sorted()) {
        String t = e.getKey();
        boolean mt = t.startsWith("tk-mt");
        int delivered = mt ? mtCount(t) : moCount(t);
        String what = cpm + " " + t + " answered " + e.getValue() + ", delivered " + delivered
            + "×";
        if (!e.getValue().contains(mt ? 200 : 0) || delivered == 0) {
          lost.add(what);
        } else if (delivered > 1 && !mt) {
          moTwice.add(what);
        } else if (delivered > 1 && e.getValue().size() > 1) {
          mtResentTwice.add(what);
        } else if (delivered > 1) {
          System.out.println("SMPP duplicate window: " + what);
        }
      }
      System.out.println(cpm + " answers: " + sorted());
    }

    private List<Map.Entry<String, List<Integer>>> sorted() {
      return answers.entrySet().stream()
          .sorted(Comparator.comparingInt(e -> Integer.parseInt(
              e.getKey().substring(e.getKey().lastIndexOf('-') + 1)))).toList();
    }

    int mtCount(String t) {
      return (int) edges.smsc.submits().stream().filter(ReceivedSubmit::accepted)
          .filter(s -> tokens(s.text()).contains(t)).count();
    }

    int moCount(String t) {
      Set<String> ids = moReceived.get(t);
      return ids == null ? 0 : ids.size();
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
      if (client != null) {
        client.close();
      }
    }
  }
}
