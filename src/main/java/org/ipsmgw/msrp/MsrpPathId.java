package org.ipsmgw.msrp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The session-id part of this gateway's MSRP path: the chat's Call-ID (base64url, so any node can
 * find the chat entity without a shared table) and the chat's 128-bit random MSRP session id (so
 * the path cannot be guessed, RFC 4975 §14.1), joined by '.'.
 */
public record MsrpPathId(String callId, String msrpSessionId) {
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  public String encoded() {
    return ENCODE.encodeToString(callId.getBytes(StandardCharsets.UTF_8)) + "." + msrpSessionId;
  }

  /** Empty when the id was not made by this gateway. */
  public static Optional<MsrpPathId> decode(String pathSessionId) {
    int dot = pathSessionId.lastIndexOf('.');
    if (dot <= 0 || dot == pathSessionId.length() - 1) {
      return Optional.empty();
    }
    try {
      String callId = new String(DECODE.decode(pathSessionId.substring(0, dot)),
          StandardCharsets.UTF_8);
      return Optional.of(new MsrpPathId(callId, pathSessionId.substring(dot + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The id a SEND's To-Path ends in (the URI naming this gateway, RFC 4975 §7.3); empty when
   * the path is empty or the id was not made by this gateway.
   *
   * @throws IllegalArgumentException when the last URI is no MSRP URI
   */
  public static Optional<MsrpPathId> ofToPath(List<String> toPath) {
    return toPath.isEmpty() ? Optional.empty()
        : decode(MsrpUri.parse(toPath.get(toPath.size() - 1)).sessionId());
  }

  /** This node's path URI for the chat. */
  public String uri(String host, int port) {
    return "msrp://" + host + ":" + port + "/" + encoded() + ";tcp";
  }
}
