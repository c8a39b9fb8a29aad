package io.serval.it.client;

import io.serval.it.load.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The router's V2 REST data plane. */
public final class V2HttpClient {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String base;
  private final Optional<String> apiKey;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public V2HttpClient(int port, Optional<String> apiKey) {
    this.base = "http://127.0.0.1:" + port;
    this.apiKey = apiKey;
  }

  public HttpAnswer inferJson(String api, String json) {
    return post(
        "/v2/models/" + api + "/infer",
        json.getBytes(),
        Map.of("Content-Type", "application/json"));
  }

  public HttpAnswer inferBinary(String api, V2Requests.BinaryBody body) {
    return post(
        "/v2/models/" + api + "/infer",
        body.body(),
        Map.of(
            "Content-Type",
            "application/octet-stream",
            "Inference-Header-Content-Length",
            Integer.toString(body.headerLength())));
  }

  /** A POST with exactly the given headers (plus the API key unless they carry one). */
  public HttpAnswer post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    boolean keyGiven =
        headers.keySet().stream()
            .anyMatch(h -> h.equalsIgnoreCase("X-Api-Key") || h.equalsIgnoreCase("Authorization"));
    if (!keyGiven) {
      apiKey.ifPresent(k -> b.header("X-Api-Key", k));
    }
    return send(b.build());
  }

  public HttpAnswer get(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET();
    apiKey.ifPresent(k -> b.header("X-Api-Key", k));
    return send(b.build());
  }

  public HttpAnswer delete(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).DELETE();
    apiKey.ifPresent(k -> b.header("X-Api-Key", k));
    return send(b.build());
  }

  private HttpAnswer send(HttpRequest request) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new HttpAnswer(t0, System.nanoTime() - t0, r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new TransportFailure(
          new Outcome(t0, System.nanoTime() - t0, "IO", false, null, e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportFailure(
          new Outcome(t0, System.nanoTime() - t0, "INTERRUPTED", false, null, e.toString()));
    }
  }

  /** The client got no HTTP answer at all (connection refused or reset, timeout). */
  public static final class TransportFailure extends RuntimeException {
    private final transient Outcome outcome;

    TransportFailure(Outcome outcome) {
      super(outcome.message());
      this.outcome = outcome;
    }

    public Outcome outcome() {
      return outcome;
    }
  }
}
