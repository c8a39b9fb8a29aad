package io.serval.operator.runtime.local.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks a replica's GET /v2/health/ready, without blocking: ready means 200 within the timeout. */
public final class HealthProbe {

  private final String host;
  private final Duration timeout;
  private final HttpClient http;

  public HealthProbe(String host, Duration timeout) {
    this.host = host;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Completes with true for a 200, false for any other answer or none (never exceptionally). */
  public CompletableFuture<Boolean> ready(int httpPort) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/v2/health/ready"))
            .timeout(timeout)
            .GET()
            .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .handle((resp, err) -> err == null && resp.statusCode() == 200);
  }
}
