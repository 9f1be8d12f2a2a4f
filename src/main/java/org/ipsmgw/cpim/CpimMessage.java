package org.ipsmgw.cpim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A message/cpim object (RFC 3862): message headers (names case-sensitive, in order), the
 * encapsulated MIME headers, and the body. IMDN headers are found through whatever prefix the
 * sender's {@code NS} header gave urn:ietf:params:imdn (RFC 5438 §6.1).
 */
public record CpimMessage(List<Map.Entry<String, String>> headers,
    List<Map.Entry<String, String>> contentHeaders, byte[] body) {

  public static final String IMDN_NS = "urn:ietf:params:imdn";

  public CpimMessage {
    headers = List.copyOf(headers);
    contentHeaders = List.copyOf(contentHeaders);
  }

  /** The first message header with exactly this name (CPIM names are case-sensitive). */
  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue)
        .findFirst();
  }

  /** A header of the encapsulated MIME object; MIME names are not case-sensitive. */
  public Optional<String> contentHeader(String name) {
    return contentHeaders.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst();
  }

  /** The media type of the body without parameters, lower-cased; "" when none is given. */
  public String contentType() {
    return contentHeader("Content-Type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT))
        .orElse("");
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The prefix bound to the IMDN namespace, or null when the message declares none. */
  public String imdnPrefix() {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equals("NS")) {
        String v = h.getValue().trim();
        int lt = v.indexOf('<');
        if (lt > 0 && v.substring(lt + 1).startsWith(IMDN_NS + ">")) {
          return v.substring(0, lt).trim();
        }
      }
    }
    return null;
  }

  /** imdn.Message-ID, under the prefix the sender chose. */
  public Optional<String> imdnMessageId() {
    String p = imdnPrefix();
    return p == null ? Optional.empty() : header(p + ".Message-ID").map(String::trim);
  }

  /** The notifications asked for in imdn.Disposition-Notification (lower case, no params). */
  public Set<String> dispositionNotification() {
    String p = imdnPrefix();
    Set<String> out = new HashSet<>();
    if (p == null) {
      return out;
    }
    header(p + ".Disposition-Notification").ifPresent(v -> {
      for (String token : v.split(",")) {
        String name = token.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          out.add(name);
        }
      }
    });
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpimMessage m && headers.equals(m.headers)
        && contentHeaders.equals(m.contentHeaders) && Arrays.equals(body, m.body);
  }

  @Override
  public int hashCode() {
    return headers.hashCode() * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "CpimMessage[" + headers + ", " + contentHeaders + ", " + body.length + " octets]";
  }
}
