package org.ipsmgw;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads one sample from a node's GET /metrics (Prometheus text). */
public final class Scrape {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Scrape() {}

  /** The value of {@code series} (name with labels), or 0 when it does not exist yet. */
  public static double value(int adminPort, String series) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst().orElse(0);
  }
}
