package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessage;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.ImdnXml;
import org.junit.jupiter.api.Test;

/**
 * The frames the gateway sends on a bound session, byte for byte where the wire form matters:
 * REPORTs (RFC 4975 §7.1.2), the empty binding SEND, the SMS user's text and the IMDNs as CPIM
 * in chunks of at most 2048 octets, dated by the clock (in UTC whatever its zone) and with ids
 * from the supplier.
 */
class OutboundFramesTest {
  private static final String PEER = "msrp://127.0.0.1:7394/alice;tcp";
  private static final String OURS = "msrp://127.0.0.1:2855/Y2FsbA.s1;tcp";
  private static final String CPM = "sip:+447700900555@ims.example";
  private static final String SMS = "+447700900777";
  /** 13:00 in Paris is 12:00 UTC, a whole minute, so a time without seconds would show. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"),
      ZoneId.of("Europe/Paris"));

  private static Supplier<String> ids() {
    AtomicInteger n = new AtomicInteger();
    return () -> "id" + n.incrementAndGet();
  }

  private final OutboundFrames frames = new OutboundFrames(PEER, OURS, CPM, SMS, CLOCK, ids());

  private static String wire(MsrpFrame f) {
    return new String(MsrpWriter.write(f), StandardCharsets.UTF_8);
  }

  @Test
  void aSuccessReportNamesTheWholeMessageAndCarriesNoReportHeaders() {
    assertEquals("MSRP id1 REPORT\r\n"
        + "To-Path: " + PEER + "\r\n"
        + "From-Path: " + OURS + "\r\n"
        + "Message-ID: m-1\r\n"
        + "Byte-Range: 1-25/25\r\n"
        + "Status: 000 200 OK\r\n"
        + "-------id1$\r\n", wire(frames.successReport("m-1", 25)));
  }

  @Test
  void aFailureReportAfterThe200Is403ForTheWholeMessage() {
    assertEquals("MSRP id1 REPORT\r\n"
        + "To-Path: " + PEER + "\r\n"
        + "From-Path: " + OURS + "\r\n"
        + "Message-ID: m-2\r\n"
        + "Byte-Range: 1-*/*\r\n"
        + "Status: 000 403 SMS not delivered\r\n"
        + "-------id1$\r\n", wire(frames.failureReport("m-2")));
  }

  @Test
  void theBindingSendIsEmptyAndUntyped() {
    assertEquals("MSRP id1 SEND\r\n"
        + "To-Path: " + PEER + "\r\n"
        + "From-Path: " + OURS + "\r\n"
        + "Message-ID: id2\r\n"
        + "Byte-Range: 1-0/0\r\n"
        + "-------id1$\r\n", wire(frames.bindingSend()));
  }

  @Test
  void anSmsUsersTextIsOneCpimSendDatedWhenTheSmsWasSent() {
    List<MsrpFrame> chunks = frames.chat("+447700900123", Instant.parse("2026-11-24T11:59:30Z"),
        "Hi Alice 😀");
    assertEquals(1, chunks.size());
    MsrpFrame f = chunks.get(0);
    byte[] cpim = ("From: <tel:+447700900123>\r\n"
        + "To: <" + CPM + ">\r\n"
        + "DateTime: 2026-11-24T11:59:30Z\r\n"
        + "NS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: id1\r\n"
        + "\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n"
        + "Content-Length: 13\r\n"
        + "\r\n"
        + "Hi Alice 😀").getBytes(StandardCharsets.UTF_8);
    assertEquals("MSRP id3 SEND\r\n"
        + "To-Path: " + PEER + "\r\n"
        + "From-Path: " + OURS + "\r\n"
        + "Message-ID: id2\r\n"
        + "Byte-Range: 1-" + cpim.length + "/" + cpim.length + "\r\n"
        + "Content-Type: message/cpim\r\n"
        + "\r\n"
        + new String(cpim, StandardCharsets.UTF_8) + "\r\n"
        + "-------id3$\r\n", wire(f));
    assertEquals(Optional.empty(), f.header("Success-Report"));
    assertEquals(Optional.empty(), f.header("Failure-Report"), "default: failures answered");
  }

  @Test
  void aLongTextGoesIn2048OctetChunksOfOneMessage() {
    String text = "é".repeat(2500);
    List<MsrpFrame> chunks = frames.chat(SMS, Instant.parse("2026-11-24T11:00:00Z"), text);
    assertEquals(3, chunks.size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    long total = chunks.stream().mapToLong(c -> c.body().length).sum();
    for (int i = 0; i < chunks.size(); i++) {
      MsrpFrame c = chunks.get(i);
      assertEquals("id2", c.messageId().orElseThrow(), "one Message-ID for all chunks");
      assertEquals("id" + (3 + i), c.transactionId(), "a transaction each");
      long start = 1 + 2048L * i;
      long end = i < 2 ? 2048L * (i + 1) : total;
      assertEquals(start + "-" + end + "/" + total, c.header("Byte-Range").orElseThrow());
      assertEquals(i < 2 ? '+' : '$', c.flag());
      assertEquals("message/cpim", c.contentType().orElseThrow());
      assertTrue(c.body().length <= MsrpSettings.CHUNK_OCTETS);
      joined.writeBytes(c.body());
    }
    assertEquals(text, CpimCodec.parse(joined.toByteArray()).bodyText(),
        "the chunks cut octets, and join to the whole CPIM message");
  }

  @Test
  void aDeliveryNoticeIsAnImdnOnTheSmsUsersBehalfDatedByTheClock() {
    MsrpFrame f = frames.deliveryNotice("imdn-7", true).get(0);
    assertEquals("id3", f.transactionId());
    assertEquals("id2", f.messageId().orElseThrow());
    CpimMessage cpim = CpimCodec.parse(f.body());
    assertEquals("<tel:" + SMS + ">", cpim.header("From").orElseThrow());
    assertEquals("<" + CPM + ">", cpim.header("To").orElseThrow());
    assertEquals("2026-11-24T12:00:00Z", cpim.header("DateTime").orElseThrow());
    assertEquals("id1", cpim.imdnMessageId().orElseThrow());
    assertEquals(ImdnXml.CONTENT_TYPE, cpim.contentType());
    assertEquals("notification", cpim.contentHeader("Content-Disposition").orElseThrow());
    assertEquals(String.valueOf(cpim.body().length),
        cpim.contentHeader("Content-Length").orElseThrow());
    assertEquals(new Imdn("imdn-7", "2026-11-24T12:00:00Z", null, Imdn.Kind.DELIVERY,
        "delivered"), ImdnXml.parse(cpim.bodyText()));
    Imdn failed = ImdnXml.parse(CpimCodec.parse(frames.deliveryNotice("imdn-8", false).get(0)
        .body()).bodyText());
    assertEquals("failed", failed.status());
    assertEquals("imdn-8", failed.messageId());
  }

  @Test
  void anInterworkingNoticeSaysTheMessageGoesOnAsSms() {
    CpimMessage cpim = CpimCodec.parse(frames.interworkingNotice("imdn-iw").get(0).body());
    assertEquals("<tel:" + SMS + ">", cpim.header("From").orElseThrow());
    assertEquals(new Imdn("imdn-iw", "2026-11-24T12:00:00Z", null, Imdn.Kind.INTERWORKING,
        "legacy-sms"), ImdnXml.parse(cpim.bodyText()));
  }
}
