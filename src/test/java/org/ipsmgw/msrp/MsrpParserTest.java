package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4975 framing, fed whole, split at every byte, and broken. */
class MsrpParserTest {
  private static final String SEND = "MSRP a786hjs2 SEND\r\n"
      + "To-Path: msrp://gw.example.com:2855/iau39soe2843z;tcp\r\n"
      + "From-Path: msrp://alice.example.com:7394/2s93i9ek2a;tcp\r\n"
      + "Message-ID: 87652491\r\n"
      + "Byte-Range: 1-25/25\r\n"
      + "Content-Type: text/plain\r\n"
      + "\r\n"
      + "Hey Bob, are you there?\r\n"
      + "\r\n"
      + "-------a786hjs2$\r\n";
  private static final String OK = "MSRP a786hjs2 200 OK\r\n"
      + "To-Path: msrp://alice.example.com:7394/2s93i9ek2a;tcp\r\n"
      + "From-Path: msrp://gw.example.com:2855/iau39soe2843z;tcp\r\n"
      + "-------a786hjs2$\r\n";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEmptiedParserLetsGoOfTheBufferALargeFrameNeeded() throws Exception {
    String big = "x".repeat(20_000);
    String send = SEND.replace("Byte-Range: 1-25/25", "Byte-Range: 1-20000/20000")
        .replace("Hey Bob, are you there?", big);
    MsrpParser parser = new MsrpParser(65536);
    List<MsrpFrame> frames = parser.feed(bytes(send));
    assertEquals(1, frames.size());
    assertTrue(frames.get(0).bodyText().startsWith(big), "the large body came out whole");
    assertEquals(0, parser.buffered());
    // An idle connection then holds no copy of its last large message.
    assertTrue(parser.capacity() <= 4096, "kept " + parser.capacity() + " octets");
    // And it still parses what comes next, split or whole.
    assertEquals("SEND", parser.feed(bytes(SEND)).get(0).method());
    byte[] ok = bytes(OK);
    assertTrue(parser.feed(ok, 0, 10).isEmpty());
    assertEquals(200, parser.feed(ok, 10, ok.length - 10).get(0).status());
  }

  @Test
  void parsesTheRfcExampleSend() throws Exception {
    List<MsrpFrame> frames = new MsrpParser(65536).feed(bytes(SEND));
    assertEquals(1, frames.size());
    MsrpFrame f = frames.get(0);
    assertEquals("a786hjs2", f.transactionId());
    assertEquals("SEND", f.method());
    assertEquals("87652491", f.messageId().orElseThrow());
    assertEquals(List.of("msrp://alice.example.com:7394/2s93i9ek2a;tcp"), f.path("From-Path"));
    assertEquals("text/plain", f.contentType().orElseThrow());
    assertEquals("Hey Bob, are you there?\r\n", f.bodyText());
    assertEquals('$', f.flag());
  }

  @Test
  void parsesAResponseWithoutBody() throws Exception {
    MsrpFrame f = new MsrpParser(65536).feed(bytes(OK)).get(0);
    assertNull(f.method());
    assertEquals(200, f.status());
    assertEquals("OK", f.comment());
    assertEquals(0, f.body().length);
  }

  @Test
  void aFrameSplitAtEveryByteParsesTheSame() throws Exception {
    byte[] whole = bytes(SEND + OK);
    List<MsrpFrame> expected = new MsrpParser(65536).feed(whole);
    for (int cut = 1; cut < whole.length; cut++) {
      MsrpParser p = new MsrpParser(65536);
      List<MsrpFrame> got = new ArrayList<>(p.feed(whole, 0, cut));
      got.addAll(p.feed(whole, cut, whole.length - cut));
      assertEquals(expected, got, "cut at " + cut);
      assertEquals(0, p.buffered());
    }
    MsrpParser oneByOne = new MsrpParser(65536);
    List<MsrpFrame> got = new ArrayList<>();
    for (byte b : whole) {
      got.addAll(oneByOne.feed(new byte[] {b}));
    }
    assertEquals(expected, got, "byte by byte");
  }

  @Test
  void writerOutputParsesBackToTheSameFrame() throws Exception {
    MsrpFrame send = MsrpWriter.send("tx12345", "msrp://a:1/s1;tcp", "msrp://b:2/s2;tcp", "m-1",
        new ByteRange(1, 6, 12), true, "partial", "message/cpim", bytes("héllo"), '+');
    MsrpFrame parsed = new MsrpParser(65536).feed(MsrpWriter.write(send)).get(0);
    assertEquals(send, parsed);
    MsrpFrame empty = MsrpWriter.send("tx12346", "msrp://a:1/s1;tcp", "msrp://b:2/s2;tcp", "m-2",
        ByteRange.whole(0), false, null, "text/plain", new byte[0], '$');
    assertEquals(empty, new MsrpParser(65536).feed(MsrpWriter.write(empty)).get(0));
  }

  @Test
  void bodyMayHoldLinesThatLookLikeAnEndLineOfAnotherTransaction() throws Exception {
    String tricky = SEND.replace("Hey Bob, are you there?", "-------other$ still body")
        .replace("1-25/25", "1-26/26");
    assertEquals("-------other$ still body\r\n",
        new MsrpParser(65536).feed(bytes(tricky)).get(0).bodyText());
  }

  @Test
  void garbageWithATransactionIdIsRefusedAndTheNextFrameStillParses() throws Exception {
    MsrpParser p = new MsrpParser(65536);
    String broken = "MSRP bad12345 SEND\r\nNot a header line\r\n-------bad12345$\r\n";
    MsrpParseException e = assertThrows(MsrpParseException.class, () -> p.feed(bytes(broken)));
    assertEquals("bad12345", e.transactionId());
    assertEquals(400, e.status());
    assertEquals(1, p.feed(bytes(SEND)).size(), "resynchronised after the broken transaction");
  }

  @Test
  void framesAfterABadOneInTheSameBytesComeOutOfTheNextFeed() throws Exception {
    MsrpParser p = new MsrpParser(65536);
    String broken = "MSRP bad12345 SEND\r\nNot a header line\r\n-------bad12345$\r\n";
    assertThrows(MsrpParseException.class, () -> p.feed(bytes(broken + SEND + OK)));
    List<MsrpFrame> rest = p.feed(new byte[0]);
    assertEquals(2, rest.size());
    assertEquals("SEND", rest.get(0).method());
    assertEquals(200, rest.get(1).status());
  }

  @Test
  void garbageWithoutAnyIdCannotBeAnswered() {
    MsrpParseException e = assertThrows(MsrpParseException.class,
        () -> new MsrpParser(65536).feed(bytes("GET / HTTP/1.1\r\n\r\n")));
    assertNull(e.transactionId());
  }

  @Test
  void toPathAndFromPathMustComeFirst() {
    String swapped = OK.replace("To-Path", "X-Tmp").replace("From-Path", "To-Path")
        .replace("X-Tmp", "From-Path");
    MsrpParseException e = assertThrows(MsrpParseException.class,
        () -> new MsrpParser(65536).feed(bytes(swapped)));
    assertEquals(400, e.status());
  }

  @Test
  void badContinuationFlagIsRefused() {
    assertThrows(MsrpParseException.class, () -> new MsrpParser(65536).feed(bytes(
        OK.replace("-------a786hjs2$", "-------a786hjs2!"))));
  }

  @Test
  void frameOverTheLimitIs413BeforeItFillsMemory() throws Exception {
    MsrpParser p = new MsrpParser(1024);
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    big.writeBytes(bytes(SEND.substring(0, SEND.indexOf("Hey"))));
    big.writeBytes(new byte[2000]);
    MsrpParseException e = assertThrows(MsrpParseException.class, () -> p.feed(big.toByteArray()));
    assertEquals(413, e.status());
    assertEquals("a786hjs2", e.transactionId());
    assertTrue(p.buffered() < 1100, "buffer bounded: " + p.buffered());
  }

  @Test
  void overlongStartLineIsRefused() {
    byte[] noEol = new byte[2000];
    java.util.Arrays.fill(noEol, (byte) 'A');
    assertThrows(MsrpParseException.class, () -> new MsrpParser(65536).feed(noEol));
  }

  @Test
  void responseHelperCopiesTheTransactionAndAnswersTheSender() throws Exception {
    MsrpFrame send = new MsrpParser(65536).feed(bytes(SEND)).get(0);
    MsrpFrame ok = MsrpWriter.response(send, "msrp://gw.example.com:2855/iau39soe2843z;tcp", 200,
        "OK");
    assertArrayEquals(bytes(OK), MsrpWriter.write(ok));
  }
}
