package org.ipsmgw.load;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads MSRP frames from a stream (RFC 4975 §7): start line, headers, then either the end-line
 * at once or a blank line, the body and the end-line {@code -------<tid><flag>}. Enough for what
 * the gateway sends a CPM client; a frame it cannot read ends the connection with a message.
 */
final class MsrpReader {
  /** A frame larger than this is refused: the load's messages are short. */
  static final int MAX_FRAME = 1 << 20;

  private final InputStream in;

  MsrpReader(InputStream in) {
    this.in = in;
  }

  /** The next frame, or null at the end of the stream. */
  MsrpFrame next() throws IOException {
    String start = line(true);
    if (start == null) {
      return null;
    }
    String[] words = start.split(" ", 4);
    if (words.length < 3 || !words[0].equals("MSRP")) {
      throw new IOException("not an MSRP start line: " + shorten(start));
    }
    String tid = words[1];
    String method = null;
    int status = 0;
    if (Character.isDigit(words[2].charAt(0))) {
      status = Integer.parseInt(words[2]);
    } else {
      method = words[2];
    }
    String endLine = "-------" + tid;
    Map<String, String> headers = MsrpFrame.newHeaders();
    while (true) {
      String l = line(false);
      if (l.startsWith(endLine) && l.length() == endLine.length() + 1) {
        return new MsrpFrame(tid, method, status, headers, new byte[0], l.charAt(l.length() - 1));
      }
      if (l.isEmpty()) {
        break;
      }
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad MSRP header line: " + shorten(l));
      }
      headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
    }
    return body(tid, method, status, headers);
  }

  /** The body up to "\r\n-------tid" and the flag after it. */
  private MsrpFrame body(String tid, String method, int status, Map<String, String> headers)
      throws IOException {
    byte[] marker = ("\r\n-------" + tid).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    int matched = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside an MSRP body");
      }
      if (matched == marker.length) {
        if (b == '$' || b == '+' || b == '#') {
          if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("MSRP end-line not followed by CRLF");
          }
          byte[] all = body.toByteArray();
          byte[] content = java.util.Arrays.copyOf(all, all.length - marker.length);
          return new MsrpFrame(tid, method, status, headers, content, (char) b);
        }
        matched = 0;
      }
      body.write(b);
      if (body.size() > MAX_FRAME) {
        throw new IOException("MSRP body over " + MAX_FRAME + " bytes");
      }
      if (b == marker[matched]) {
        matched++;
      } else {
        matched = b == marker[0] ? 1 : 0;
      }
    }
  }

  /** A CRLF-terminated line; null at a clean end of stream when {@code eofOk}. */
  private String line(boolean eofOk) throws IOException {
    ByteArrayOutputStream l = new ByteArrayOutputStream(80);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofOk && l.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside an MSRP frame");
      }
      if (b == '\n') {
        byte[] bytes = l.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
            : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      l.write(b);
      if (l.size() > 4096) {
        throw new IOException("MSRP line over 4096 bytes");
      }
    }
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
