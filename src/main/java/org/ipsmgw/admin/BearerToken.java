package org.ipsmgw.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards /api/** with {@code Authorization: Bearer <ipsmgw.admin.token>} when a token is
 * configured. The comparison takes the same time whatever the input, and the token is never
 * logged.
 */
final class BearerToken {
  private static final Logger LOG = LoggerFactory.getLogger(BearerToken.class);
  private static final String SCHEME = "Bearer ";

  private final byte[] token;

  /** @param token the configured token; empty disables the check */
  BearerToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  Route require(Supplier<Route> inner) {
    if (token.length == 0) {
      return inner.get();
    }
    return Directives.extractRequest(request -> {
      if (presented(request).map(this::matches).orElse(false)) {
        return inner.get();
      }
      LOG.warn("admin API {} {}: missing or wrong bearer token; 401", request.method().value(),
          request.getUri().path());
      return Directives.complete(JsonResponses.error(StatusCodes.UNAUTHORIZED,
              "this API needs 'Authorization: Bearer <token>' (ipsmgw.admin.token)")
          .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"ipsmgw\"")));
    });
  }

  private static Optional<String> presented(HttpRequest request) {
    return request.getHeader("Authorization").map(HttpHeader::value)
        .filter(v -> v.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
        .map(v -> v.substring(SCHEME.length()).strip());
  }

  private boolean matches(String presented) {
    return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }
}
