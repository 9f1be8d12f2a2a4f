package org.ipsmgw.msrp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsmgw.PeerText;

/** {@code msrp://host:port/session-id;tcp} (RFC 4975 §6): where a path ends, and its session. */
public record MsrpUri(String host, int port, String sessionId, String transport) {
  private static final Pattern FORMAT = Pattern.compile(
      "msrps?://([^/:;]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})/([^;/]+);([A-Za-z]+).*");

  public static MsrpUri parse(String uri) {
    Matcher m = FORMAT.matcher(uri.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + PeerText.bounded(uri)
          + "' is not an MSRP URI with a port and a session id");
    }
    return new MsrpUri(m.group(1), Integer.parseInt(m.group(2)), m.group(3),
        m.group(4).toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return "msrp://" + host + ":" + port + "/" + sessionId + ";" + transport;
  }
}
