package org.ipsmgw.msrp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An incremental RFC 4975 frame parser for one connection: bytes go in as they arrive, in pieces of
 * any size, and whole frames come out. Its buffer is bounded: a frame larger than
 * {@code maxFrameOctets} is refused (413) instead of filling memory.
 *
 * <p>After an error the parser skips to the end-line of the broken transaction when it knows its
 * id, so later frames on the connection still parse; without an id the caller closes the
 * connection.
 */
public final class MsrpParser {
  private static final Pattern START = Pattern.compile(
      "MSRP ([A-Za-z0-9][A-Za-z0-9.\\-+%=]{3,31}) (?:([A-Z]+)|([0-9]{3})(?: (.*))?)");
  private static final Pattern HEADER = Pattern.compile("([A-Za-z0-9\\-]+): ?(.*)");
  private static final int MAX_LINE = 1024;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] EMPTY = new byte[0];
  /**
   * The most an empty parser keeps of its buffer: a connection that once carried a large message
   * (up to max-message-size per chunk) would otherwise hold that much for as long as it stays
   * open, idle or not.
   */
  private static final int KEPT_WHEN_EMPTY = 4096;

  private final int maxFrameOctets;
  private byte[] buffer = EMPTY;
  private int length;
  private String skipTo;

  public MsrpParser(int maxFrameOctets) {
    this.maxFrameOctets = maxFrameOctets;
  }

  /**
   * Adds bytes and returns every frame they complete, in order.
   *
   * @throws MsrpParseException for input that is not MSRP. Frames that followed the bad one in
   *     the same bytes are kept: feed an empty array to get them.
   */
  public List<MsrpFrame> feed(byte[] data, int offset, int count) throws MsrpParseException {
    append(data, offset, count);
    List<MsrpFrame> out = new ArrayList<>();
    while (true) {
      if (skipTo != null && !skip()) {
        return out;
      }
      MsrpFrame frame = next();
      if (frame == null) {
        return out;
      }
      out.add(frame);
    }
  }

  public List<MsrpFrame> feed(byte[] data) throws MsrpParseException {
    return feed(data, 0, data.length);
  }

  /** Octets received but not yet part of a frame. */
  public int buffered() {
    return length;
  }

  private void append(byte[] data, int offset, int count) {
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(length + count, buffer.length * 2));
    }
    System.arraycopy(data, offset, buffer, length, count);
    length += count;
  }

  private void consume(int n) {
    System.arraycopy(buffer, n, buffer, 0, length - n);
    length -= n;
    if (length == 0 && buffer.length > KEPT_WHEN_EMPTY) {
      buffer = EMPTY;
    }
  }

  /** The size of the buffer now held, whatever part of it is used (for tests). */
  int capacity() {
    return buffer.length;
  }

  /** Drops input up to and including the end-line of the transaction that failed. */
  private boolean skip() {
    byte[] endLine = ("-------" + skipTo).getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(endLine, 0);
    if (at < 0 || at + endLine.length + 3 > length) {
      // Keep only what could still be the start of the end-line.
      if (length > endLine.length + 3) {
        consume(length - endLine.length - 3);
      }
      return false;
    }
    consume(at + endLine.length + 3);
    skipTo = null;
    return true;
  }

  private MsrpFrame next() throws MsrpParseException {
    int lineEnd = indexOf(CRLF, 0);
    if (lineEnd < 0) {
      if (length > MAX_LINE) {
        fail("start line longer than " + MAX_LINE + " octets", null, 400);
      }
      return null;
    }
    String start = new String(buffer, 0, lineEnd, StandardCharsets.UTF_8);
    Matcher m = START.matcher(start);
    if (!m.matches()) {
      String id = start.startsWith("MSRP ") ? start.split(" ", 3)[1] : null;
      fail("not an MSRP start line: " + printable(start), validId(id) ? id : null, 400);
    }
    String tid = m.group(1);
    byte[] endLine = ("\r\n-------" + tid).getBytes(StandardCharsets.US_ASCII);
    int end = indexOf(endLine, lineEnd);
    if (end < 0 || end + endLine.length + 3 > length) {
      if (length > maxFrameOctets) {
        fail("frame of transaction " + tid + " exceeds " + maxFrameOctets + " octets", tid, 413);
      }
      return null;
    }
    char flag = (char) buffer[end + endLine.length];
    if ((flag != '$' && flag != '+' && flag != '#') || buffer[end + endLine.length + 1] != '\r'
        || buffer[end + endLine.length + 2] != '\n') {
      fail("bad end-line of transaction " + tid, tid, 400);
    }
    int frameEnd = end + endLine.length + 3;
    MsrpFrame frame = frame(m, tid, lineEnd + 2, end + 2, flag);
    consume(frameEnd);
    return frame;
  }

  /**
   * Headers from {@code from}; the body, if any, starts after the first empty line and ends at
   * {@code endLineAt} (the CRLF before the end-line belongs to the body's framing, not the body).
   */
  private MsrpFrame frame(Matcher start, String tid, int from, int endLineAt, char flag)
      throws MsrpParseException {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int at = from;
    byte[] body = new byte[0];
    while (at < endLineAt) {
      int eol = indexOf(CRLF, at);
      if (eol < 0 || eol > endLineAt) {
        eol = endLineAt - 2;
      }
      if (eol == at) {
        // Empty line: the body runs to the CRLF that precedes the end-line.
        int bodyEnd = endLineAt - 2;
        if (bodyEnd < at + 2) {
          fail("empty line without a body in transaction " + tid, tid, 400);
        }
        body = Arrays.copyOfRange(buffer, at + 2, bodyEnd);
        break;
      }
      String line = new String(buffer, at, eol - at, StandardCharsets.UTF_8);
      Matcher h = HEADER.matcher(line);
      if (!h.matches()) {
        fail("bad header line in transaction " + tid + ": " + printable(line), tid, 400);
      }
      headers.add(new AbstractMap.SimpleImmutableEntry<>(h.group(1), h.group(2)));
      at = eol + 2;
    }
    if (headers.size() < 2 || !headers.get(0).getKey().equalsIgnoreCase("To-Path")
        || !headers.get(1).getKey().equalsIgnoreCase("From-Path")) {
      fail("To-Path and From-Path must come first in transaction " + tid, tid, 400);
    }
    boolean request = start.group(2) != null;
    return new MsrpFrame(tid, request ? start.group(2) : null,
        request ? 0 : Integer.parseInt(start.group(3)),
        request || start.group(4) == null ? "" : start.group(4), headers, body, flag);
  }

  private void fail(String message, String tid, int status) throws MsrpParseException {
    if (tid != null) {
      skipTo = tid;
      // Drop the broken frame now (or all of it but a possible end-line start) so the buffer
      // stays bounded; frames after it come out of the next feed, which may be empty.
      skip();
    } else {
      length = 0;
    }
    throw new MsrpParseException(message, tid, status);
  }

  private static boolean validId(String id) {
    return id != null && id.matches("[A-Za-z0-9][A-Za-z0-9.\\-+%=]{3,31}");
  }

  private int indexOf(byte[] needle, int from) {
    outer:
    for (int i = from; i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }
}
