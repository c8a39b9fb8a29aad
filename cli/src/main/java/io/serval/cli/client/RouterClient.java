package io.serval.cli.client;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The router's Open Inference Protocol V2 REST API. */
public final class RouterClient {

  private final HttpEndpoint http;

  public RouterClient(HttpEndpoint http) {
    this.http = http;
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
        http.request("/v2/models/" + model + "/infer")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** Whether the router has a ready route for the model (GET /v2/models/{name}/ready). */
  public boolean ready(String model) {
    return http.send(http.request("/v2/models/" + model + "/ready").GET().build()).statusCode()
        == 200;
  }

  public PlatformException error(HttpResponse<String> r) {
    return http.error(r);
  }
}
