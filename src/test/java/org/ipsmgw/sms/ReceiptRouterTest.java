package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.RandomIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receipt router on the real index (H2, the node's own V2 and V3 scripts): a receipt is
 * acknowledged only once its session confirmed it, one whose id is not indexed yet is stored
 * and routed by a sweep once it is (with its message's ref and parts), a stored one older than
 * the match window is dropped, and a resent one is stored once.
 */
class ReceiptRouterTest {
  private static final Duration WINDOW = Duration.ofSeconds(30);

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T12:00:00Z").toEpochMilli());

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private record Routed(SmscMessageIndex.Entry entry, DeliveryReceipt receipt) {}

  private final TestClock clock = new TestClock();
  private final List<Routed> routed = new CopyOnWriteArrayList<>();
  private String url;
  private SmscMessageIndex index;

  @BeforeEach
  void open() throws Exception {
    url = "jdbc:h2:mem:receipts-" + RandomIds.below(1L << 40) + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement()) {
      for (String script : List.of("V2__smsc_message_index.sql", "V3__receipt_routing.sql")) {
        for (String sql : statements(read("db/h2/" + script))) {
          st.execute(sql);
        }
      }
    }
    Config config = ConfigFactory.parseMap(Map.of("ipsmgw.db.url", url, "ipsmgw.db.user", "sa",
        "ipsmgw.db.password", "", "ipsmgw.db.connection-timeout", "2s"));
    index = SmscMessageIndex.open(config, clock);
  }

  @AfterEach
  void close() {
    index.close();
  }

  private ReceiptRouter router(ReceiptRouter.Deliver deliver) {
    // Sweeps run on the calling thread: each call returns with its work done.
    return new ReceiptRouter(index, Runnable::run, WINDOW, Duration.ofMillis(200), deliver);
  }

  private ReceiptRouter confirming() {
    return router((entry, receipt, timeout) -> {
      routed.add(new Routed(entry, receipt));
      return CompletableFuture.completedFuture(null);
    });
  }

  private static DeliveryReceipt delivered(String id) {
    return new DeliveryReceipt(id, ReceiptState.DELIVERED, null, null, null);
  }

  @Test
  void aReceiptWhoseSessionDoesNotConfirmInTimeIsNotAcknowledged() throws Exception {
    index.put(List.of("a1"), "chat-1", "m1");
    ReceiptRouter router = router((entry, receipt, timeout) -> new CompletableFuture<>());
    ReceiptRouter.NotRouted e = assertThrows(ReceiptRouter.NotRouted.class,
        () -> router.route(delivered("a1")));
    assertTrue(e.getMessage().contains("not persisted by its session"), e.getMessage());
    assertTrue(index.pending(10).isEmpty(), "a known id is never parked");
  }

  @Test
  void aConfirmedReceiptCarriesItsMessageAndEveryPartInOrder() throws Exception {
    index.put(List.of("p1", "p2", "p3"), "chat-1", "m7");
    confirming().route(delivered("P2 "));
    SmscMessageIndex.Entry entry = routed.get(0).entry();
    assertEquals("p2", entry.smscId());
    assertEquals("chat-1", entry.sessionId());
    assertEquals("m7", entry.messageRef());
    assertEquals(List.of("p1", "p2", "p3"), entry.messageIds());
  }

  @Test
  void aReceiptBeforeItsIdIsIndexedIsStoredThenRoutedAndRemovedOnceIndexed() throws Exception {
    ReceiptRouter router = confirming();
    router.route(delivered("e1"));
    router.route(delivered("e1"));
    assertEquals(1, index.pending(10).size(), "stored once, however often the SMSC sends it");
    assertTrue(routed.isEmpty());
    // Another node indexes the submission; any node's sweep routes the receipt.
    index.put(List.of("e1"), "chat-2", "m3");
    router.sweepSoon();
    assertEquals(1, routed.size());
    assertEquals("m3", routed.get(0).entry().messageRef());
    assertEquals(ReceiptState.DELIVERED, routed.get(0).receipt().state());
    assertTrue(index.pending(10).isEmpty(), "removed once its session confirmed it");
  }

  @Test
  void aStoredReceiptStaysUntilItsSessionConfirmsAndIsDroppedAfterTheMatchWindow()
      throws Exception {
    CompletableFuture<Object> never = new CompletableFuture<>();
    ReceiptRouter router = router((entry, receipt, timeout) -> {
      routed.add(new Routed(entry, receipt));
      return never;
    });
    router.route(delivered("u1"));
    index.put(List.of("u1"), "chat-3", "m1");
    router.sweepSoon();
    assertEquals(1, routed.size());
    assertEquals(1, index.pending(10).size(), "kept while its session has not confirmed");

    router.route(delivered("nobody"));
    clock.millis.addAndGet(WINDOW.toMillis() + 1);
    router.sweepSoon();
    assertEquals(List.of("u1"), index.pending(10).stream()
        .map(SmscMessageIndex.PendingReceipt::smscId).toList(), "the unmatched one dropped");
  }

  @Test
  void messagesIndexedFromManyThreadsAtOnceAreEachFoundWithTheirPartsAndAReusedIdMovesOn()
      throws Exception {
    java.util.concurrent.ExecutorService lanes = java.util.concurrent.Executors
        .newFixedThreadPool(16);
    try {
      List<CompletableFuture<Void>> puts = new java.util.ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int lane = t;
        puts.add(CompletableFuture.runAsync(() -> {
          for (int m = 0; m < 25; m++) {
            try {
              index.put(List.of("l" + lane + "m" + m + "a", "l" + lane + "m" + m + "b"),
                  "chat-" + lane, "m" + m);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        }, lanes));
      }
      CompletableFuture.allOf(puts.toArray(new CompletableFuture[0])).get(30,
          java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      lanes.shutdownNow();
    }
    for (int t = 0; t < 16; t++) {
      for (int m = 0; m < 25; m++) {
        SmscMessageIndex.Entry e = index.find("l" + t + "m" + m + "b").orElseThrow();
        assertEquals("chat-" + t, e.sessionId());
        assertEquals("m" + m, e.messageRef());
        assertEquals(List.of("l" + t + "m" + m + "a", "l" + t + "m" + m + "b"), e.messageIds());
      }
    }
    index.put(List.of("l3m4a"), "chat-99", "m1");
    assertEquals("chat-99", index.find("l3m4a").orElseThrow().sessionId(),
        "an SMSC id the SMSC reused points at the later message");
  }

  @Test
  void aRowIndexedBeforeV3StillRoutesByItsId() throws Exception {
    index.put(List.of("old1"), "chat-4");
    confirming().route(delivered("old1"));
    SmscMessageIndex.Entry entry = routed.get(0).entry();
    assertEquals(null, entry.messageRef());
    assertEquals(List.of("old1"), entry.messageIds());
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = ReceiptRouterTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> statements(String script) {
    StringBuilder b = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        b.append(line).append('\n');
      }
    }
    return List.of(b.toString().split(";")).stream().map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
  }
}
