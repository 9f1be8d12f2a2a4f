package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.ipsmgw.LogCapture;
import org.ipsmgw.LogContext;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.msrp.Bindings.Binding;
import org.ipsmgw.session.BindReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.DeliveryNotice;
import org.ipsmgw.session.MsrpMessage;
import org.ipsmgw.session.ReceiptRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a connection sends toward the CPM user and what the answers do: only the 200 to the last
 * chunk of a message or IMDN confirms it to its chat (a failure REPORT alone once written); the
 * binding SEND confirms nothing; any other answer is logged with the chat's ids; REPORTs and
 * notices only as their sender asked; a chat's Message-ID is kept.
 */
class OutboxTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final String CALL_ID = "outbox-1@127.0.0.1";
  private static final CpmIdentifiers IDS = new CpmIdentifiers("conv", "contrib", null, null);

  private final TestProbe<ChatSessionCommand> chat = KIT.createTestProbe(ChatSessionCommand.class);
  private final List<MsrpFrame> written = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Outbox outbox = new Outbox(written::add, id -> {
    assertEquals(CALL_ID, id);
    return chat.ref();
  }, LoggerFactory.getLogger(Outbox.class), new MsrpMetrics(registry));
  private final Binding binding = new Bindings(Clock.systemUTC(), 8192).bind(
      new MsrpPathId(CALL_ID, "s1"), "msrp://127.0.0.1:2855/ours;tcp",
      "msrp://127.0.0.1:7394/peer;tcp", new BindReply.Bound("sip:alice@ims.example",
          "+447700900777", true));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static MsrpFrame ok(MsrpFrame request) {
    return MsrpWriter.response(request, "msrp://127.0.0.1:7394/peer;tcp", 200, "OK");
  }

  private MsrpMessage message(String ref, String text) {
    return new MsrpMessage(CALL_ID, "s1", ref, "+447700900777", text,
        Instant.parse("2026-11-24T12:00:00Z"), IDS, "id-" + ref);
  }

  @Test
  void onlyTheLastChunksOkConfirmsTheMessage() {
    outbox.message(binding, message("ref-long", "x".repeat(5000)));
    assertEquals(3, written.size());
    outbox.answered(ok(written.get(0)));
    outbox.answered(ok(written.get(1)));
    outbox.answered(ok(written.get(2)));
    outbox.message(binding, message("ref-marker", "after"));
    outbox.answered(ok(written.get(3)));
    // Tells from one thread arrive in order: the message is confirmed once, then the marker.
    chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-long"));
    chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-marker"));
    assertEquals(0, outbox.unanswered());
  }

  @Test
  void theBindingSendConfirmsNothingAndANoticeIsConfirmedByItsImdnsOk() {
    outbox.bound(binding);
    outbox.notice(binding, new DeliveryNotice(CALL_ID, "s1", "imdn-1", "m-1", false, IDS,
        "ref-notice", "notice-1"));
    assertEquals(3, written.size());
    assertEquals("SEND", written.get(0).method());
    assertEquals(0, written.get(0).body().length);
    assertEquals("REPORT", written.get(1).method(), "the failure REPORT first");
    assertEquals("m-1", written.get(1).messageId().orElseThrow());
    assertEquals("000 403 SMS not delivered", written.get(1).header("Status").orElseThrow());
    Imdn imdn = ImdnXml.parse(CpimCodec.parse(written.get(2).body()).bodyText());
    assertEquals("imdn-1", imdn.messageId());
    assertEquals("failed", imdn.status());
    assertEquals("notice-1", written.get(2).messageId().orElseThrow(), "the chat's id, kept");
    written.forEach(f -> outbox.answered(ok(f)));
    outbox.message(binding, message("ref-marker", "after"));
    outbox.answered(ok(written.get(3)));
    chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-notice"));
    chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-marker"));
  }

  @Test
  void aFailureReportAloneIsConfirmedOnceWrittenAsNothingAnswersAReport() {
    outbox.notice(binding, new DeliveryNotice(CALL_ID, "s1", null, "m-5", false, IDS,
        "ref-report", "notice-5"));
    assertEquals(1, written.size());
    assertEquals("REPORT", written.get(0).method());
    chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-report"));
  }

  @Test
  void aMessageKeepsTheChatsMessageIdOnEveryChunkAndInItsCpim() {
    outbox.message(binding, message("ref-id", "y".repeat(5000)));
    assertTrue(written.stream().allMatch(f -> f.messageId().orElseThrow().equals("id-ref-id")));
    byte[] whole = written.stream().map(MsrpFrame::body).reduce(new byte[0], (a, b) -> {
      byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, joined, a.length, b.length);
      return joined;
    });
    assertEquals("id-ref-id", CpimCodec.parse(whole).imdnMessageId().orElseThrow());
  }

  @Test
  void aNoticeCarriesOnlyWhatIsOwed() {
    outbox.notice(binding, new DeliveryNotice(CALL_ID, "s1", null, "m-2", false, IDS, null,
        "notice-2"));
    outbox.notice(binding, new DeliveryNotice(CALL_ID, "s1", "imdn-3", null, true, IDS, null,
        "notice-3"));
    assertEquals(2, written.size());
    assertEquals("REPORT", written.get(0).method());
    assertEquals("delivered", ImdnXml.parse(CpimCodec.parse(written.get(1).body()).bodyText())
        .status());
  }

  @Test
  void aStoredMessageGetsTheReportAndNoticeItsSenderAskedFor() {
    MessageAssembler.Complete asked = new MessageAssembler.Complete("m-3", "message/cpim",
        "0123456789".getBytes(StandardCharsets.UTF_8), new ReportFlags(true, "yes"));
    outbox.stored(binding, asked, new InboundMessage.ChatText("t", "imdn-iw",
        ReceiptRequest.NONE, true));
    assertEquals(2, written.size());
    assertEquals("000 200 OK", written.get(0).header("Status").orElseThrow());
    assertEquals("1-10/10", written.get(0).header("Byte-Range").orElseThrow());
    assertEquals(Imdn.Kind.INTERWORKING,
        ImdnXml.parse(CpimCodec.parse(written.get(1).body()).bodyText()).kind());

    MessageAssembler.Complete quiet = new MessageAssembler.Complete("m-4", "message/cpim",
        new byte[1], new ReportFlags(false, "yes"));
    outbox.stored(binding, quiet, new InboundMessage.ChatText("t", "imdn-4",
        ReceiptRequest.NONE, false));
    assertEquals(2, written.size(), "nothing asked, nothing sent");
  }

  @Test
  void anErrorAnswerIsLoggedWithTheChatsIdsAndConfirmsNothing() {
    try (LogCapture log = LogCapture.attach()) {
      outbox.message(binding, message("ref-refused", "no"));
      outbox.answered(MsrpWriter.response(written.get(0), "msrp://x:1/p;tcp", 500, "Broken"));
      outbox.answered(MsrpWriter.response(written.get(0), "msrp://x:1/p;tcp", 200, "OK"));
      outbox.message(binding, message("ref-next", "yes"));
      outbox.answered(ok(written.get(1)));
      chat.expectMessage(new ChatSessionCommand.MsrpDelivered("ref-next"));
      List<LogCapture.Line> lines = log.lines().stream()
          .filter(l -> l.text().contains("answered 500")).toList();
      assertEquals(1, lines.size());
      assertTrue(lines.get(0).text().startsWith("[session " + CALL_ID + "]"),
          lines.get(0).text());
      assertEquals(CALL_ID, lines.get(0).mdc().get(LogContext.SESSION_ID));
      assertEquals(CALL_ID, lines.get(0).mdc().get(LogContext.CALL_ID));
    }
  }

  @Test
  void reportsSentAndAnswersToOurSendsAreCounted() {
    MessageAssembler.Complete asked = new MessageAssembler.Complete("m-6", "message/cpim",
        new byte[3], new ReportFlags(true, "yes"));
    outbox.stored(binding, asked, new InboundMessage.ChatText("t", "imdn-6",
        ReceiptRequest.NONE, false));
    outbox.notice(binding, new DeliveryNotice(CALL_ID, "s1", null, "m-7", false, IDS, null,
        "notice-7"));
    outbox.message(binding, message("ref-counted", "hi"));
    outbox.answered(MsrpWriter.response(written.get(2), "msrp://x:1/p;tcp", 481, "Gone"));
    assertEquals(1.0, count("ipsmgw.msrp.reports", "direction", "sent", "kind", "success"));
    assertEquals(1.0, count("ipsmgw.msrp.reports", "direction", "sent", "kind", "failure"));
    assertEquals(1.0, count("ipsmgw.msrp.sends", "direction", "out", "status", "481"));
  }

  private double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
