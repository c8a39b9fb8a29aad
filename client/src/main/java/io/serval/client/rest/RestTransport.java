package io.serval.client.rest;

import io.serval.client.retry.Failure;
import io.serval.client.retry.Outcome;
import io.serval.client.transport.Deadlines;
import io.serval.client.transport.Transport;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * V2 over REST: {@code POST /v2/models/{name}/infer} (JSON or the binary tensor extension), {@code
 * GET /v2/models/{name}} and {@code /ready}. Each attempt on a fresh connection ({@link
 * HttpExchange} says why).
 */
public final class RestTransport implements Transport {

  static final String REVISION_HEADER = "serval-revision";
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final URI base;
  private final Optional<String> apiKey;
  private final boolean binary;
  private final long maxResponseBytes;

  /**
   * @param base the router, {@code http(s)://host[:port][/prefix]}
   * @param apiKey sent as {@code Authorization: Bearer <key>}
   * @param binary send and ask for tensors in the binary tensor extension
   * @param maxResponseBytes the largest answer accepted
   */
  public RestTransport(URI base, Optional<String> apiKey, boolean binary, long maxResponseBytes) {
    String scheme = base.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || base.getHost() == null) {
      throw new IllegalArgumentException(
          "the router URL must be http(s)://host[:port], got " + base);
    }
    this.base = base;
    this.apiKey = apiKey;
    this.binary = binary;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public String target() {
    return base.toString();
  }

  @Override
  public Outcome<InferResult> infer(String model, InferRequest request, Duration budget) {
    V2Json.Body body = V2Json.request(request, binary);
    Map<String, String> headers = headers(budget);
    if (body.binary()) {
      headers.put("Content-Type", "application/octet-stream");
      headers.put(HEADER_LENGTH, Integer.toString(body.jsonLength()));
    } else {
      headers.put("Content-Type", "application/json");
    }
    String path = modelPath(model) + "/infer";
    return exchange(
        "POST",
        path,
        headers,
        body.bytes(),
        budget,
        r -> {
          String headerLength = r.header(HEADER_LENGTH);
          int jsonLength =
              headerLength == null ? r.body().length : Integer.parseInt(headerLength.trim());
          return V2Json.result(
              r.body(), jsonLength, Optional.ofNullable(r.header(REVISION_HEADER)));
        });
  }

  @Override
  public Outcome<ModelMetadata> metadata(String model, Duration budget) {
    return exchange(
        "GET", modelPath(model), headers(budget), null, budget, r -> V2Json.metadata(r.body()));
  }

  @Override
  public Outcome<Boolean> ready(String model, Duration budget) {
    return exchange(
        "GET",
        modelPath(model) + "/ready",
        headers(budget),
        null,
        budget,
        r -> V2Json.readyFlag(r.body()));
  }

  private interface Reader<T> {
    T read(HttpExchange.Response r) throws IOException;
  }

  private <T> Outcome<T> exchange(
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      Duration budget,
      Reader<T> reader) {
    HttpExchange.Response r;
    try {
      r = HttpExchange.send(base, method, path, headers, body, budget, maxResponseBytes);
    } catch (HttpExchange.NotSentException e) {
      return new Outcome.NotSent<>(Failure.connection(e.getMessage(), e));
    } catch (SocketTimeoutException e) {
      // Written, then no answer in time: the router may be running it. Not retried.
      return new Outcome.Final<>(
          Failure.timeout(
              "no answer within "
                  + budget.toMillis()
                  + "ms ("
                  + method
                  + " "
                  + path
                  + "); not retried: the router may have started it",
              e));
    } catch (HttpExchange.TooLargeException e) {
      return new Outcome.Final<>(Failure.connection(e.getMessage(), e));
    } catch (IOException e) {
      // A reset or a close after the request was written: the router may have started it on a
      // replica, and sending it again could run it twice. Not retried.
      return new Outcome.Final<>(
          Failure.connection(
              "the connection broke after the request was sent ("
                  + method
                  + " "
                  + path
                  + "): "
                  + e.getMessage()
                  + "; not retried: the router may have started it",
              e));
    }
    int status = r.status();
    if (status >= 200 && status < 300) {
      try {
        return new Outcome.Answered<>(reader.read(r));
      } catch (IOException | RuntimeException e) {
        return new Outcome.Final<>(
            Failure.connection("the router's answer could not be read: " + e.getMessage(), e));
      }
    }
    Failure failure = Failure.answered(status, null, V2Json.errorText(r.body()));
    if (status == 503 || status == 429) {
      // The router answers 503 before any replica sees the request (queue full, no ready
      // replica, body budget spent); 429 comes from a proxy in front of it.
      return new Outcome.Refused<>(retryAfter(r.header("retry-after")), failure);
    }
    return new Outcome.Final<>(failure);
  }

  private Map<String, String> headers(Duration budget) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put(Deadlines.HEADER, Deadlines.headerValue(budget));
    apiKey.ifPresent(k -> h.put("Authorization", "Bearer " + k));
    return h;
  }

  private static String modelPath(String model) {
    return "/v2/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Seconds of a Retry-After header (delta-seconds form); zero when absent or a date. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return Duration.ZERO;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  @Override
  public void close() {
    // Nothing is kept between attempts.
  }
}
