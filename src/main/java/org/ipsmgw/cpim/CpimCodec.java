package org.ipsmgw.cpim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ipsmgw.PeerText;

/** Reads and writes message/cpim (RFC 3862 §2–3). Lines end CRLF; bare LF is tolerated on read. */
public final class CpimCodec {
  private CpimCodec() {}

  public static CpimMessage parse(byte[] data) {
    int[] at = {0};
    List<Map.Entry<String, String>> headers = headers(data, at, "message");
    List<Map.Entry<String, String>> content = headers(data, at, "encapsulated MIME");
    byte[] rest = Arrays.copyOfRange(data, at[0], data.length);
    String length = content.stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length"))
        .map(Map.Entry::getValue).findFirst().orElse(null);
    if (length != null) {
      int n;
      try {
        n = Integer.parseInt(length.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("CPIM Content-Length '" + PeerText.bounded(length)
            + "' is no number");
      }
      if (n < 0 || n > rest.length) {
        throw new IllegalArgumentException("CPIM Content-Length " + n + " but " + rest.length
            + " octets follow");
      }
      rest = Arrays.copyOf(rest, n);
    }
    return new CpimMessage(headers, content, rest);
  }

  /** Header lines up to an empty line; {@code at} moves past it. */
  private static List<Map.Entry<String, String>> headers(byte[] data, int[] at, String part) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    while (true) {
      int eol = at[0];
      while (eol < data.length && data[eol] != '\n') {
        eol++;
      }
      if (eol == data.length) {
        throw new IllegalArgumentException("CPIM " + part + " headers do not end with an empty "
            + "line");
      }
      int end = eol > at[0] && data[eol - 1] == '\r' ? eol - 1 : eol;
      String line = new String(data, at[0], end - at[0], StandardCharsets.UTF_8);
      at[0] = eol + 1;
      if (line.isEmpty()) {
        return out;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("CPIM " + part + " header line without a name: '"
            + PeerText.bounded(line) + "'");
      }
      out.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, colon).trim(),
          line.substring(colon + 1).trim()));
    }
  }

  public static byte[] write(CpimMessage m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + m.body().length);
    for (Map.Entry<String, String> h : m.headers()) {
      line(out, h.getKey() + ": " + h.getValue());
    }
    line(out, "");
    for (Map.Entry<String, String> h : m.contentHeaders()) {
      line(out, h.getKey() + ": " + h.getValue());
    }
    line(out, "");
    out.writeBytes(m.body());
    return out.toByteArray();
  }

  private static void line(ByteArrayOutputStream out, String s) {
    out.writeBytes((s + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  public static Map.Entry<String, String> header(String name, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(name, value);
  }
}
