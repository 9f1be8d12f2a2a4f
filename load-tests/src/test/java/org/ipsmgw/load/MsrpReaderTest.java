package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MsrpReaderTest {
  private static MsrpReader reader(String s) {
    return new MsrpReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** One byte per read: a frame split anywhere still reads whole. */
  private static MsrpReader trickle(byte[] bytes) {
    return new MsrpReader(new InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] & 0xFF : -1;
      }
    });
  }

  @Test
  void readsAResponseWithoutBody() throws IOException {
    MsrpFrame f = reader("MSRP a1 200 OK\r\nTo-Path: msrp://x:9/a;tcp\r\n"
        + "From-Path: msrp://y:2855/b;tcp\r\n-------a1$\r\n").next();
    assertEquals("a1", f.transactionId());
    assertEquals(200, f.status());
    assertTrue(!f.isRequest());
    assertEquals("msrp://y:2855/b;tcp", f.header("from-path"));
    assertEquals(0, f.body().length);
  }

  @Test
  void readsWhatItWritesBodyIncludedAndThenEndOfStream() throws IOException {
    byte[] body = "hello\r\n-------not-the-end$\r\nüñí tk-1-m-2".getBytes(StandardCharsets.UTF_8);
    byte[] frame = MsrpFrame.send("t9", "msrp://gw:2855/s;tcp", "msrp://c:9/c;tcp", "m1",
        "message/cpim", body);
    MsrpReader r = trickle(concat(frame, frame));
    for (int i = 0; i < 2; i++) {
      MsrpFrame f = r.next();
      assertEquals("SEND", f.method());
      assertEquals("1-" + body.length + "/" + body.length, f.header("Byte-Range"));
      assertEquals("message/cpim", f.header("Content-Type"));
      assertArrayEquals(body, f.body());
      assertEquals('$', f.flag());
    }
    assertNull(r.next());
  }

  @Test
  void aBindIsAnEmptySendWithoutContentType() throws IOException {
    byte[] frame = MsrpFrame.send("b1", "msrp://gw:2855/s;tcp", "msrp://c:9/c;tcp", "bind1",
        null, new byte[0]);
    String text = new String(frame, StandardCharsets.UTF_8);
    assertTrue(!text.contains("Content-Type"), text);
    MsrpFrame f = reader(text).next();
    assertEquals("1-0/0", f.header("Byte-Range"));
    assertEquals(0, f.body().length);
  }

  @Test
  void theOkAnswersTheFirstFromPathUri() throws IOException {
    MsrpFrame send = reader("MSRP z SEND\r\nTo-Path: msrp://c:9/c;tcp\r\n"
        + "From-Path: msrp://gw:2855/s;tcp\r\nMessage-ID: 1\r\nByte-Range: 1-1/1\r\n"
        + "Content-Type: text/plain\r\n\r\nx\r\n-------z+\r\n").next();
    assertEquals('+', send.flag());
    MsrpFrame ok = reader(new String(MsrpFrame.ok(send, "msrp://c:9/c;tcp"),
        StandardCharsets.UTF_8)).next();
    assertEquals(200, ok.status());
    assertEquals("z", ok.transactionId());
    assertEquals("msrp://gw:2855/s;tcp", ok.header("To-Path"));
  }

  @Test
  void garbageAndCutShortFramesAreErrorsNotHangs() {
    assertThrows(IOException.class, () -> reader("HTTP/1.1 200 OK\r\n\r\n").next());
    assertThrows(IOException.class, () -> reader("MSRP a SEND\r\nTo-Path: x\r\n\r\nbody").next());
    assertThrows(IOException.class, () -> reader("MSRP a SEND\r\nno colon here\r\n").next());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
