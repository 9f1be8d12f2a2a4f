package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Chunked MSRP messages: '+' buffered until '$', '#' discards, any order, size bound. */
class MessageAssemblerTest {
  private static final String TO = "msrp://gw:2855/s1;tcp";
  private static final String FROM = "msrp://alice:7394/a1;tcp";

  private static MsrpFrame chunk(String id, String range, String text, char flag) {
    return new MsrpFrame("t" + range.hashCode(), "SEND", 0, "", java.util.List.of(
        MsrpWriter.header("To-Path", TO), MsrpWriter.header("From-Path", FROM),
        MsrpWriter.header("Message-ID", id), MsrpWriter.header("Byte-Range", range),
        MsrpWriter.header("Content-Type", "message/cpim")),
        text.getBytes(StandardCharsets.UTF_8), flag);
  }

  @Test
  void wholeMessageInOneChunk() {
    var out = new MessageAssembler(1000).accept(chunk("m1", "1-5/5", "hello", '$'));
    MessageAssembler.Complete c = assertInstanceOf(MessageAssembler.Complete.class, out);
    assertEquals("hello", new String(c.body(), StandardCharsets.UTF_8));
    assertEquals("message/cpim", c.contentType());
    assertFalse(c.flags().successReport(), "default Success-Report no");
    assertTrue(c.flags().answers200(), "default Failure-Report yes");
  }

  @Test
  void chunksAreJoinedInAnyOrder() {
    MessageAssembler a = new MessageAssembler(1000);
    assertInstanceOf(MessageAssembler.Partial.class, a.accept(chunk("m2", "6-10/15", "world",
        '+')));
    assertInstanceOf(MessageAssembler.Partial.class, a.accept(chunk("m2", "11-15/15", "!!!!!",
        '$')));
    var done = a.accept(chunk("m2", "1-5/15", "hello", '+'));
    MessageAssembler.Complete c = assertInstanceOf(MessageAssembler.Complete.class, done);
    assertEquals("helloworld!!!!!", new String(c.body(), StandardCharsets.UTF_8));
    assertEquals(0, a.pendingCount());
  }

  @Test
  void unknownTotalIsSetByTheLastChunk() {
    MessageAssembler a = new MessageAssembler(1000);
    a.accept(chunk("m3", "1-3/*", "abc", '+'));
    var done = a.accept(chunk("m3", "4-6/*", "def", '$'));
    assertEquals("abcdef", new String(assertInstanceOf(MessageAssembler.Complete.class, done)
        .body(), StandardCharsets.UTF_8));
  }

  @Test
  void abortedMessageIsDiscarded() {
    MessageAssembler a = new MessageAssembler(1000);
    a.accept(chunk("m4", "1-3/9", "abc", '+'));
    assertInstanceOf(MessageAssembler.Aborted.class, a.accept(chunk("m4", "4-6/9", "def", '#')));
    assertEquals(0, a.pendingCount());
  }

  @Test
  void messageOverTheLimitIs413() {
    MessageAssembler a = new MessageAssembler(10);
    var byTotal = a.accept(chunk("m5", "1-3/50", "abc", '+'));
    assertEquals(413, assertInstanceOf(MessageAssembler.Refused.class, byTotal).status());
    var byEnd = a.accept(chunk("m6", "9-11/*", "abc", '+'));
    assertEquals(413, assertInstanceOf(MessageAssembler.Refused.class, byEnd).status());
    assertEquals(0, a.pendingCount());
  }

  @Test
  void badByteRangeOrNoMessageIdIs400() {
    MessageAssembler a = new MessageAssembler(1000);
    assertEquals(400, assertInstanceOf(MessageAssembler.Refused.class,
        a.accept(chunk("m7", "5-1/3", "x", '$'))).status());
    MsrpFrame noId = new MsrpFrame("t1", "SEND", 0, "", java.util.List.of(
        MsrpWriter.header("To-Path", TO), MsrpWriter.header("From-Path", FROM)), new byte[0],
        '$');
    assertEquals(400, assertInstanceOf(MessageAssembler.Refused.class, a.accept(noId)).status());
  }

  @Test
  void reportFlagsFollowTheRfcDefaultsAndValues() {
    assertFalse(new ReportFlags(false, "no").answersErrors());
    assertFalse(new ReportFlags(false, "partial").answers200());
    assertTrue(new ReportFlags(false, "partial").answersErrors());
    assertTrue(new ReportFlags(false, "yes").answers200());
  }
}
