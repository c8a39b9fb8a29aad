package io.serval.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.serval.cli.exit.CliException;
import java.util.Optional;

/** The autoscaler's explain endpoint: why it chose an API's replica count. */
public final class AutoscalerClient {

  private final HttpEndpoint http;

  public AutoscalerClient(HttpEndpoint http) {
    this.http = http;
  }

  /**
   * The last decision for the API, or a line saying why there is none (not autoscaled, autoscaler
   * unreachable): describe shows it without failing.
   */
  public Explanation explain(String api) {
    try {
      var r = http.send(http.request("/v1/autoscaler/apis/" + api).GET().build());
      if (r.statusCode() == 200) {
        return new Explanation(Optional.of(Json.parse(r.body())), null);
      }
      return new Explanation(Optional.empty(), http.error(r).getMessage());
    } catch (CliException e) {
      return new Explanation(Optional.empty(), e.getMessage());
    }
  }

  public String url() {
    return http.base();
  }

  /** The autoscaler's version (GET /v1/version on its open HTTP port). */
  public String version() {
    return Json.parse(http.call(http.request("/v1/version").GET().build()))
        .path("version")
        .asText();
  }

  public record Explanation(Optional<JsonNode> decision, String unavailable) {}
}
