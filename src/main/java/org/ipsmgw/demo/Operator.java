package org.ipsmgw.demo;

import static org.ipsmgw.demo.Demo.HOST;
import static org.ipsmgw.demo.Demo.WAIT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The operator of the demo: the admin API over HTTP, each call and its status printed. */
final class Operator {
  private final Transcript say;
  private final int adminPort;
  private final HttpClient http = HttpClient.newHttpClient();

  Operator(Transcript say, int adminPort) {
    this.say = say;
    this.adminPort = adminPort;
  }

  void admin(String method, String path, String body, int expected) throws Exception {
    HttpResponse<String> r = http.send(request(method, path, body),
        HttpResponse.BodyHandlers.ofString());
    say.line("HTTP", "operator → gateway", method + " " + path + " " + body + " → "
        + r.statusCode());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": "
          + r.body());
    }
  }

  /** Every session the node knows, one line each. */
  void sessions() throws Exception {
    HttpResponse<String> r = http.send(request("GET", "/api/v1/sessions?state=ALL", null),
        HttpResponse.BodyHandlers.ofString());
    JsonNode sessions = new ObjectMapper().readTree(r.body()).get("sessions");
    for (JsonNode s : sessions) {
      say.line("HTTP", s.get("smsMsisdn").asText(), s.get("state").asText() + ", messages to SMS "
          + s.get("messages").get("toSms").asInt() + ", to CPM "
          + s.get("messages").get("toCpm").asInt() + ", Conversation-ID "
          + s.get("conversationId").asText());
    }
  }

  private HttpRequest request(String method, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + adminPort + path))
        .timeout(WAIT).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
