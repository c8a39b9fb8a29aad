package io.serval.it.client;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The operator's management REST API: deploy YAML, read API status. */
public final class ManagementClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final Supplier<String> token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param token read when needed: the operator writes it into its state directory at start
   */
  public ManagementClient(int port, Supplier<String> token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** POST /v1/deploy; fails the test on anything but 200. */
  public JsonNode deploy(String yaml) {
    Response r = send("POST", "/v1/deploy", yaml);
    if (r.status() != 200) {
      throw new AssertionError("deploy answered " + r.status() + ": " + r.body() + "\n" + yaml);
    }
    return r.json();
  }

  public ApiState api(String name) {
    Response r = send("GET", "/v1/apis/" + name, null);
    if (r.status() != 200) {
      throw new AssertionError(
          "GET /v1/apis/" + name + " answered " + r.status() + ": " + r.body());
    }
    return new ApiState(r.json());
  }

  public List<ApiState> apis() {
    Response r = send("GET", "/v1/apis", null);
    if (r.status() != 200) {
      throw new AssertionError("GET /v1/apis answered " + r.status() + ": " + r.body());
    }
    List<ApiState> out = new ArrayList<>();
    r.json().forEach(n -> out.add(new ApiState(n)));
    return out;
  }

  public JsonNode splitter(String name) {
    Response r = send("GET", "/v1/splitters/" + name, null);
    if (r.status() != 200) {
      throw new AssertionError(
          "GET /v1/splitters/" + name + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  public String logs(String api) {
    return send("GET", "/v1/apis/" + api + "/logs?lines=40", null).body();
  }

  /** Waits until the API's current revision has all its replicas ready and no rollout runs. */
  public ApiState awaitReady(String api, Duration max) {
    await(api + " Ready")
        .atMost(max)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> api(api).settled());
    return api(api);
  }

  public Response send(String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (body != null) {
      b.header("Content-Type", "application/yaml");
      b.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    // Every management call needs the token, reads included.
    String t = token.get();
    if (t != null) {
      b.header("Authorization", "Bearer " + t);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }
}
