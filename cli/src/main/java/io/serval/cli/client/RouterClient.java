package io.serval.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The router's Open Inference Protocol V2 REST API; every call carries the API key when there is
 * one.
 */
public final class RouterClient {

  private final HttpEndpoint http;
  private final Optional<String> apiKey;

  public RouterClient(HttpEndpoint http, Optional<String> apiKey) {
    this.http = http;
    this.apiKey = apiKey;
  }

  /** Whether calls carry an API key. */
  public boolean keyed() {
    return apiKey.isPresent();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = http.request(path);
    apiKey.ifPresent(k -> b.header("Authorization", ApiKey.header(k)));
    return b;
  }

  /** The router's batch jobs API, with the same address, timeout and key. */
  public JobsClient jobs() {
    return new JobsClient(http, apiKey);
  }

  public String url() {
    return http.base();
  }

  public String inferUrl(String model) {
    return http.base() + "/v2/models/" + model + "/infer";
  }

  /** POST /v2/models/{name}/infer; the answer with its status and headers, errors included. */
  public HttpResponse<String> infer(String model, String json) {
    return http.send(
        request("/v2/models/" + model + "/infer")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * POST /v2/models/{name}/infer with {@code Prefer: respond-async}: the router stores the request
   * and answers 202 with its id (or an error).
   */
  public HttpResponse<String> inferAsync(String model, String json) {
    return http.send(
        request("/v2/models/" + model + "/infer")
            .header("Content-Type", "application/json")
            .header("Prefer", "respond-async")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** GET /v2/async/{id}: an async request's status, or its result; errors included. */
  public HttpResponse<String> asyncResult(String id) {
    return http.send(request("/v2/async/" + id).GET().build());
  }

  /**
   * GET /v2/async/{id} with {@code Prefer: wait=N} (RFC 7240): a router that honours it holds the
   * answer until the request has finished or {@code wait} has passed (and says so with {@code
   * Preference-Applied}); the request's own timeout is stretched by the wait.
   */
  public HttpResponse<String> asyncResult(String id, Duration wait) {
    return http.send(
        request("/v2/async/" + id)
            .timeout(http.timeout().plus(wait))
            .header("Prefer", "wait=" + wait.toSeconds())
            .GET()
            .build());
  }

  /**
   * Whether the router has a ready route for the model (GET /v2/models/{name}/ready).
   *
   * @throws CliException UNAUTHORIZED when the router refuses the key (or its absence): waiting
   *     would not help
   */
  public boolean ready(String model) {
    HttpResponse<String> r = http.send(request("/v2/models/" + model + "/ready").GET().build());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new CliException(
          ExitCode.UNAUTHORIZED,
          "the router at "
              + http.base()
              + " refused "
              + (apiKey.isPresent() ? "the API key" : "a call without an API key")
              + " ("
              + r.statusCode()
              + ": "
              + error(r).getMessage()
              + "). "
              + KEY_HINT);
    }
    return r.statusCode() == 200;
  }

  /**
   * GET /v1/stats: the router's per-API traffic over its window (the last 5 minutes).
   *
   * @throws CliException when the router cannot be reached or refuses the call
   */
  public JsonNode stats() {
    return Json.parse(http.call(request("/v1/stats").GET().build()));
  }

  /**
   * The router's version, from its V2 server metadata (GET /v2: {@code {"name", "version",
   * "extensions"}}), which is behind the API key when the router has keys.
   */
  public String version() {
    HttpResponse<String> r = http.send(request("/v2").GET().build());
    if (r.statusCode() != 200) {
      throw error(r);
    }
    return Json.parse(r.body()).path("version").asText();
  }

  /** What to do when the router asks for a key. */
  public static final String KEY_HINT =
      "Pass the router's key with --api-key or SERVAL_API_KEY (it is one of"
          + " serval.router.access.api-keys).";

  public PlatformException error(HttpResponse<String> r) {
    return http.error(r);
  }
}
