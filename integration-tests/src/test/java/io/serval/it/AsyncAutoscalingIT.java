package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2Requests;
import io.serval.it.platform.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the autoscaler counts the async backlog (Cortex's async autoscaling), through the real
 * path: router (pending requests in its stats) → autoscaler (decision) → operator (replicas). The
 * API starts at zero replicas and the router's own wake-up is off, so only the autoscaler reading
 * the backlog can wake it; with one request per replica as its target, the waiting requests then
 * call for its maximum. Before the backlog was counted, nothing was in flight (async requests wait
 * in the store, not in the router's queue) and the API stayed at zero.
 */
class AsyncAutoscalingIT {
  static final String API = "backlogged";
  static final int SLOW_WIDTH = 256;
  static final int MAX_REPLICAS = 3;
  static final int REQUESTS = 150;

  static Platform platform;

  @BeforeAll
  static void start() {
    platform =
        Platform.builder("AsyncAutoscalingIT")
            .autoscalerTick(Duration.ofSeconds(1))
            // Only the autoscaler may take the API off zero.
            .routerProperty("serval.router.wake-up.enabled", "false")
            .routerProperty("serval.router.async.poll-interval", "50ms")
            .start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().slow("backlogged.onnx", SLOW_WIDTH, 256, 16))
                .traffic(1, 100, "30s")
                .autoscaling(
                    0,
                    MAX_REPLICAS,
                    0,
                    "targetInFlight: 1, window: 4s, upscaleStabilizationPeriod: 1s,"
                        + " downscaleStabilizationPeriod: 60s, maxUpscaleFactor: 3,"
                        + " panic: {window: 2s, threshold: 2.0}")
                .yaml());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void aBacklogWakesAnApiAtZeroAndScalesItUp() {
    assertThat(platform.management().api(API).requestedReplicas()).isZero();
    String body = V2Requests.json(Inputs.slow(SLOW_WIDTH));
    Map<String, String> headers =
        Map.of("Content-Type", "application/json", "Prefer", "respond-async");
    List<String> locations = new ArrayList<>();
    // The router learns the API from the operator's routes a moment after the deploy.
    await("the router accepts async requests for " + API)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                platform
                        .http()
                        .post("/v2/models/" + API + "/infer", body.getBytes(), headers)
                        .status()
                    == 202);
    long t0 = System.nanoTime();
    for (int i = 1; i < REQUESTS; i++) {
      HttpAnswer a = platform.http().post("/v2/models/" + API + "/infer", body.getBytes(), headers);
      assertThat(a.status()).as(a.text()).isEqualTo(202);
      locations.add(a.headers().firstValue("Location").orElseThrow());
    }
    await("the backlog woke " + API)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> platform.management().api(API).requestedReplicas() >= 1);
    double wokenAfter = (System.nanoTime() - t0) / 1e9;
    await("the backlog scaled " + API + " to " + MAX_REPLICAS)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> platform.management().api(API).requestedReplicas() == MAX_REPLICAS);
    double scaledAfter = (System.nanoTime() - t0) / 1e9;
    ApiState up = platform.management().api(API);
    System.out.printf(
        "[async autoscaling] %d async requests for an API at zero: woken %.1f s, %d replicas"
            + " requested %.1f s after the first submit (%s)%n",
        REQUESTS,
        wokenAfter,
        MAX_REPLICAS,
        scaledAfter,
        up.json().path("status").path("lastScaleReason").asText());

    Map<String, Boolean> done = new ConcurrentHashMap<>();
    await("every async request succeeded")
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              for (String location : locations) {
                if (done.containsKey(location)) {
                  continue;
                }
                HttpAnswer a = platform.http().get(location);
                String status = a.headers().firstValue("Serval-Async-Status").orElse("?");
                assertThat(status).as("%s: %s", location, a.text()).isNotIn("failed", "cancelled");
                if (status.equals("succeeded")) {
                  done.put(location, true);
                }
              }
              return done.size() == locations.size();
            });
    System.out.printf(
        "[async autoscaling] all succeeded %d ms after the first submit%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }
}
