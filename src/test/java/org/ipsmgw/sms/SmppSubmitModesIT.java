package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.PolicyConfig;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.subscriber.MoAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMPP gateway actor alone (no cluster) against the SMSC simulator, once per submit option:
 * 16-bit UDH references, SAR TLVs, message_payload, packed GSM-7, an alphanumeric sender, and no
 * SMSC at all.
 */
class SmppSubmitModesIT {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final AtomicInteger DB = new AtomicInteger();
  private static final String LONG_GSM = "A long GSM text with {braces} and € signs, ".repeat(5);
  private static SmscSimulator smsc;

  @BeforeAll
  static void start() throws IOException {
    smsc = SmscSimulator.start(SimulatorOptions.defaults());
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
    smsc.close();
  }

  /** Submission results, in arrival order. */
  private static final class Results implements SmppWiring {
    final LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();

    @Override
    public void submitted(SmsSubmission s, List<String> smscIds) {
      outcomes.add(smscIds);
    }

    @Override
    public void failed(SmsSubmission s, String reason) {
      outcomes.add(reason);
    }

    @Override
    public CompletionStage<MoAck> mo(IncomingMo mo) {
      return CompletableFuture.completedFuture(MoAck.ACCEPTED);
    }

    @Override
    public CompletionStage<?> receipt(SmscMessageIndex.Entry entry, DeliveryReceipt receipt,
        Duration timeout) {
      return CompletableFuture.completedFuture(null);
    }

    Object next() throws InterruptedException {
      Object o = outcomes.poll(20, TimeUnit.SECONDS);
      if (o == null) {
        throw new AssertionError("no submission outcome within 20 s");
      }
      return o;
    }
  }

  private record Gateway(ActorRef<SmppGateway.Command> ref, Results results, String db,
      Config config) {}

  private static Gateway gateway(int smscPort, Map<String, String> settings) throws Exception {
    String db = "jdbc:h2:mem:submit-modes-" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    for (String script : List.of("V2__smsc_message_index.sql", "V3__receipt_routing.sql")) {
      try (Connection c = DriverManager.getConnection(db, "sa", "");
          Statement st = c.createStatement();
          InputStream ddl = SmppSubmitModesIT.class.getClassLoader()
              .getResourceAsStream("db/h2/" + script)) {
        for (String sql : new String(ddl.readAllBytes(), StandardCharsets.UTF_8)
            .replaceAll("(?m)^--.*$", "").split(";")) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
      }
    }
    Properties p = new Properties();
    settings.forEach(p::setProperty);
    Config config = NodeConfig.load(null, Map.of("IPSMGW_SMSC_PORT", String.valueOf(smscPort),
        "IPSMGW_DB_URL", db), p);
    OperatorPolicy policy = PolicyConfig.fromConfig(config.getConfig("ipsmgw.policy"));
    Results results = new Results();
    ActorRef<SmppGateway.Command> ref = KIT.spawn(SmppGateway.create(
        SmscSettings.fromConfig(config), () -> policy,
        SmscMessageIndex.open(config, Clock.systemUTC()), results, Clock.systemUTC()));
    ref.tell(SmppGateway.Start.INSTANCE);
    return new Gateway(ref, results, db, config);
  }

  private static List<ReceivedSubmit> submit(Gateway g, String from, String to, String text)
      throws Exception {
    g.ref().tell(new SmppGateway.Submit(new SmsSubmission("s-" + to, "m1", from, to, text,
        ReceiptRequest.NONE)));
    Object outcome = g.results().next();
    assertTrue(outcome instanceof List, "submitted: " + outcome);
    String dest = to.substring(1);
    List<ReceivedSubmit> got = smsc.submits().stream()
        .filter(s -> s.destination().equals(dest) && s.accepted()).toList();
    assertEquals(((List<?>) outcome).size(), got.size());
    KIT.stop(g.ref());
    return got;
  }

  @Test
  void idsTheIndexCouldNotWriteAreWrittenOnceTheDatabaseIsBack() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of());
    sql(g, "ALTER TABLE ipsmgw_smsc_message RENAME TO ipsmgw_smsc_message_away");
    g.ref().tell(new SmppGateway.Submit(new SmsSubmission("s-away", "m9", "+447700900555",
        "+447700910009", "while the index is away", ReceiptRequest.SUCCESS_AND_FAILURE)));
    Object outcome = g.results().next();
    assertTrue(outcome instanceof List, "submitted all the same: " + outcome);
    String id = (String) ((List<?>) outcome).get(0);
    try (SmscMessageIndex index = SmscMessageIndex.open(g.config(), Clock.systemUTC())) {
      sql(g, "ALTER TABLE ipsmgw_smsc_message_away RENAME TO ipsmgw_smsc_message");
      org.ipsmgw.Await.until(() -> {
        try {
          return index.find(id).isPresent();
        } catch (java.sql.SQLException e) {
          return false;
        }
      }, java.time.Duration.ofSeconds(20), "the ids written once the table is back");
      SmscMessageIndex.Entry entry = index.find(id).orElseThrow();
      assertEquals("s-away", entry.sessionId());
      assertEquals("m9", entry.messageRef());
    } finally {
      KIT.stop(g.ref());
    }
  }

  @Test
  void anSmsAskingNoReceiptIsNotIndexedOneAskingOneIs() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of());
    try (SmscMessageIndex index = SmscMessageIndex.open(g.config(), Clock.systemUTC())) {
      g.ref().tell(new SmppGateway.Submit(new SmsSubmission("s-none", "m1", "+447700900555",
          "+447700910011", "no receipt asked", ReceiptRequest.NONE)));
      String none = (String) ((List<?>) g.results().next()).get(0);
      g.ref().tell(new SmppGateway.Submit(new SmsSubmission("s-asked", "m2", "+447700900555",
          "+447700910012", "receipt asked", ReceiptRequest.SUCCESS_AND_FAILURE)));
      String asked = (String) ((List<?>) g.results().next()).get(0);
      // The session hears of the submission only once its ids are indexed.
      assertEquals("s-asked", index.find(asked).orElseThrow().sessionId());
      assertTrue(index.find(none).isEmpty(), "registered_delivery 0: nothing to match later");
    } finally {
      KIT.stop(g.ref());
    }
  }

  private static void sql(Gateway g, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(g.db(), "sa", "");
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void sixteenBitReferencesCut152SeptetParts() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of("ipsmgw.smsc.concatenation", "udh-16bit"));
    List<ReceivedSubmit> parts = submit(g, "+447700900555", "+447700910001", LONG_GSM);
    StringBuilder text = new StringBuilder();
    for (ReceivedSubmit p : parts) {
      ConcatInfo c = UserDataHeader.findConcat(p.shortMessage()).orElseThrow();
      assertTrue(c.sixteenBit());
      assertEquals(0x40, p.esmClass() & 0x40);
      byte[] ud = p.userData();
      assertTrue(ud.length <= 152, "at most 152 septets: " + ud.length);
      text.append(Gsm7Alphabet.decode(ud, 0, ud.length));
    }
    assertEquals(LONG_GSM, text.toString());
  }

  @Test
  void sarModeSendsTlvsAndNoUdh() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of("ipsmgw.smsc.concatenation", "sar"));
    List<ReceivedSubmit> parts = submit(g, "+447700900555", "+447700910002", LONG_GSM);
    assertTrue(parts.size() > 1);
    byte[] ref = parts.get(0).tlvs().get((short) 0x020C);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      ReceivedSubmit p = parts.get(i);
      assertEquals(0, p.esmClass() & 0x40, "no UDH indicator");
      assertArrayEquals(ref, p.tlvs().get((short) 0x020C), "one sar_msg_ref_num");
      assertArrayEquals(new byte[] {(byte) parts.size()}, p.tlvs().get((short) 0x020E));
      assertArrayEquals(new byte[] {(byte) (i + 1)}, p.tlvs().get((short) 0x020F));
      text.append(Gsm7Alphabet.decode(p.shortMessage(), 0, p.shortMessage().length));
    }
    assertEquals(LONG_GSM, text.toString());
  }

  @Test
  void payloadModeSendsOneSubmitWithMessagePayload() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of("ipsmgw.smsc.concatenation", "payload"));
    List<ReceivedSubmit> parts = submit(g, "+447700900555", "+447700910003", LONG_GSM);
    assertEquals(1, parts.size());
    assertEquals(0, parts.get(0).shortMessage().length, "sm_length 0 with message_payload");
    byte[] payload = parts.get(0).tlvs().get((short) 0x0424);
    assertEquals(LONG_GSM, Gsm7Alphabet.decode(payload, 0, payload.length));
  }

  @Test
  void packedGsm7StartsOnASeptetBoundaryAfterTheUdh() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of("ipsmgw.smsc.gsm7-packed", "true"));
    List<ReceivedSubmit> parts = submit(g, "+447700900555", "+447700910004", LONG_GSM);
    StringBuilder text = new StringBuilder();
    for (ReceivedSubmit p : parts) {
      byte[] ud = p.userData();
      text.append(SmsTextDecoder.decode(0, ud, 0, ud.length, true, 1));
    }
    assertEquals(LONG_GSM, text.toString());
  }

  @Test
  void alphanumericSenderGoesAsTon5() throws Exception {
    Gateway g = gateway(smsc.port(), Map.of());
    ReceivedSubmit sm = submit(g, "Operator", "+447700910005", "hi").get(0);
    assertEquals("Operator", sm.source());
    assertEquals(5, sm.sourceTon());
  }

  @Test
  void withoutAnSmscTheMessageFailsBackAfterTheUnboundWait() throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = s.getLocalPort();
    }
    Gateway g = gateway(nobody, Map.of("ipsmgw.smsc.unbound-wait", "500ms"));
    g.ref().tell(new SmppGateway.Submit(new SmsSubmission("s-x", "m1", "+447700900555",
        "+447700910006", "hi", ReceiptRequest.NONE)));
    Object outcome = g.results().next();
    assertEquals("no SMSC bind up within 500 ms", outcome);
    KIT.stop(g.ref());
    assertNull(g.results().outcomes.poll(), "exactly one outcome");
  }
}
