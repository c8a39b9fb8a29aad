package io.serval.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.exit.CliException;
import io.serval.cli.exit.ExitCode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The operator's management REST API (/v1). */
public final class ManagementClient {

  private final HttpEndpoint http;
  private final Optional<String> token;
  private final String tokenHint;

  /**
   * @param tokenHint where the token was looked for, for the message of a refused call
   */
  public ManagementClient(HttpEndpoint http, Optional<String> token, String tokenHint) {
    this.http = http;
    this.token = token;
    this.tokenHint = tokenHint;
  }

  public String url() {
    return http.base();
  }

  /** A view of a resource together with its kind. */
  public record Found(ResourceKind kind, JsonNode view) {
    public String name() {
      return view.path("metadata").path("name").asText();
    }
  }

  public JsonNode deploy(String body, String contentType) {
    return Json.parse(
        mutate(
            request("/v1/deploy")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  /**
   * What deploying the body would do (POST /v1/deploy?dryRun=true): the same validation, plan and
   * limits as a deploy, and each changed field with its old and new value; nothing is applied.
   */
  public JsonNode plan(String body, String contentType) {
    return Json.parse(
        mutate(
            request("/v1/deploy?dryRun=true")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  public List<JsonNode> list(ResourceKind kind) {
    JsonNode arr = Json.parse(call(request(kind.path()).GET().build()));
    List<JsonNode> out = new ArrayList<>();
    arr.forEach(out::add);
    return out;
  }

  public JsonNode get(ResourceKind kind, String name) {
    return Json.parse(call(request(kind.path() + "/" + enc(name)).GET().build()));
  }

  /** The named resource; an API is preferred when the kind is not given. */
  public Found find(ResourceRef ref) {
    if (ref.kind().isPresent()) {
      ResourceKind k = ref.kind().get();
      return new Found(k, getOrExplain(k, ref.name()));
    }
    Optional<JsonNode> api = tryGet(ResourceKind.API, ref.name());
    if (api.isPresent()) {
      return new Found(ResourceKind.API, api.get());
    }
    Optional<JsonNode> splitter = tryGet(ResourceKind.SPLITTER, ref.name());
    if (splitter.isPresent()) {
      return new Found(ResourceKind.SPLITTER, splitter.get());
    }
    throw notFound("no API or traffic splitter named \"" + ref.name() + "\"");
  }

  public JsonNode delete(ResourceKind kind, String name) {
    return Json.parse(mutate(request(kind.path() + "/" + enc(name)).DELETE()));
  }

  public JsonNode rollback(ResourceKind kind, String name) {
    return Json.parse(
        mutate(
            request(kind.path() + "/" + enc(name) + "/rollback")
                .POST(HttpRequest.BodyPublishers.noBody())));
  }

  /**
   * The API's replicas (GET /v1/apis/{name}/replicas), or empty when the operator does not serve
   * them (an older operator) so that describe still shows the rest.
   */
  public List<JsonNode> replicas(String api) {
    var r = send(request(ResourceKind.API.path() + "/" + enc(api) + "/replicas").GET().build());
    if (r.statusCode() != 200) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    Json.parse(r.body()).forEach(out::add);
    return out;
  }

  public String logs(ResourceKind kind, String name, int lines) {
    return call(request(kind.path() + "/" + enc(name) + "/logs?lines=" + lines).GET().build());
  }

  private JsonNode getOrExplain(ResourceKind kind, String name) {
    return tryGet(kind, name)
        .orElseThrow(() -> notFound("no " + kind.noun() + " named \"" + name + "\""));
  }

  private Optional<JsonNode> tryGet(ResourceKind kind, String name) {
    var r = send(request(kind.path() + "/" + enc(name)).GET().build());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() / 100 != 2) {
      throw http.error(r);
    }
    return Optional.of(Json.parse(r.body()));
  }

  private CliException notFound(String message) {
    List<String> names = new ArrayList<>();
    for (ResourceKind k : ResourceKind.values()) {
      list(k).forEach(v -> names.add(v.path("metadata").path("name").asText()));
    }
    return new CliException(
        ExitCode.NOT_FOUND,
        message
            + (names.isEmpty()
                ? " (nothing is deployed; deploy with: serval deploy FILE)"
                : " (deployed: " + String.join(", ", names) + ")"));
  }

  /** The operator's version (GET /v1/version, behind the read token like every /v1 call). */
  public String version() {
    return Json.parse(call(request("/v1/version").GET().build())).path("version").asText();
  }

  /** Every call carries the token: reads need one too (the admin or the read-only token). */
  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = http.request(path);
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private String mutate(HttpRequest.Builder request) {
    return call(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    var r = http.send(request);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw explain(http.error(r));
    }
    return r;
  }

  private String call(HttpRequest request) {
    try {
      return http.call(request);
    } catch (PlatformException e) {
      throw explain(e);
    }
  }

  private PlatformException explain(PlatformException e) {
    if (e.exitCode() != ExitCode.UNAUTHORIZED) {
      return e;
    }
    return new PlatformException(
        ExitCode.UNAUTHORIZED,
        e.status(),
        "the management API refused the call: "
            + e.getMessage()
            + (token.isEmpty()
                ? ". No token was found: " + tokenHint
                : ". Pass the right one with --token or SERVAL_TOKEN"),
        e.problems());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
