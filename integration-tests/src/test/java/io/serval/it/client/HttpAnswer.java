package io.serval.it.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.serval.it.load.Outcome;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A V2 REST answer with its latency. */
public record HttpAnswer(
    long startNanos, long latencyNanos, int status, HttpHeaders headers, byte[] body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public String revision() {
    return headers.firstValue("serval-revision").orElse(null);
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The V2 error body's message, or null when the body is not {"error": "..."}. */
  public String error() {
    try {
      var node = JSON.readTree(body).get("error");
      return node == null ? null : node.asText();
    } catch (Exception e) {
      return null;
    }
  }

  public double latencyMillis() {
    return latencyNanos / 1e6;
  }

  public Outcome toOutcome() {
    boolean ok = status == 200;
    return new Outcome(
        startNanos,
        latencyNanos,
        Integer.toString(status),
        ok,
        revision(),
        ok ? null : (error() != null ? error() : text()));
  }

  @Override
  public String toString() {
    return status + " " + text() + " (revision " + revision() + ", " + latencyMillis() + " ms)";
  }
}
