package org.ipsmgw.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * JSON bodies of the admin API. Every error is {@code {"error": "..."}} with a message an
 * operator can act on; nothing internal (no stack trace, no class name) reaches the client.
 */
final class JsonResponses {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonResponses() {}

  static HttpResponse ok(Object body) {
    return json(StatusCodes.OK, body);
  }

  static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render an admin API response", e);
    }
  }

  static HttpResponse error(StatusCode status, String message) {
    return json(status, Map.of("error", message));
  }

  static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @throws IllegalArgumentException with a message for the client when it is not
   */
  static JsonNode object(String body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return node;
  }
}
