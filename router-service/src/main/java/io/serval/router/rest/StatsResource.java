package io.serval.router.rest;

import io.serval.router.stats.ApiTraffic;
import io.serval.router.stats.WindowSummary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/stats}: what this router answered per API over the last minutes, read by {@code
 * serval get}. Behind the router's API keys like every path that is not health or metrics.
 */
@Path("/v1/stats")
public class StatsResource {

  /** The JSON body: the window and one entry per API. */
  public record Body(String window, long windowSeconds, List<ApiStats> apis) {}

  /**
   * One API; latencies in milliseconds, null when there was no request.
   *
   * @param requestsPerSecond over the window (or the part of it the router has been up)
   */
  public record ApiStats(
      String api,
      long requests,
      double requestsPerSecond,
      long status2xx,
      long status4xx,
      long status5xx,
      Double meanMillis,
      Double p50Millis,
      Double p99Millis) {}

  private final ApiTraffic traffic;

  public StatsResource(ApiTraffic traffic) {
    this.traffic = traffic;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Body stats() {
    List<ApiStats> apis = new ArrayList<>();
    for (Map.Entry<String, WindowSummary> e : traffic.windows().entrySet()) {
      WindowSummary w = e.getValue();
      apis.add(
          new ApiStats(
              e.getKey(),
              w.requests(),
              w.perSecond(),
              w.ok(),
              w.clientErrors(),
              w.serverErrors(),
              orNull(w.meanMillis()),
              orNull(w.p50Millis()),
              orNull(w.p99Millis())));
    }
    long seconds = traffic.window().toSeconds();
    return new Body(traffic.window().toMinutes() + "m", seconds, apis);
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
