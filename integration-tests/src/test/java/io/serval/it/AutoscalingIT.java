package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8, scenario 7: a load step scales an API up and the new replicas serve; without load it
 * scales back down; an API at zero replicas serves its first request after waking.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingIT {

  static final String ELASTIC = "elastic";
  static final String SLEEPY = "sleepy";
  static final int SLOW_WIDTH = 256;
  static final int MAX_REPLICAS = 3;

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.builder("AutoscalingIT").autoscalerTick(Duration.ofSeconds(1)).start();
    var m = platform.models();
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                // Tens of milliseconds per request, one at a time per replica: four clients keep
                // about four requests in flight, four times the target of one per replica.
                ApiSpec.api(ELASTIC)
                    .model(m.slow("elastic.onnx", SLOW_WIDTH, 256, 16))
                    .traffic(1, 100, "30s")
                    .autoscaling(
                        1,
                        MAX_REPLICAS,
                        1,
                        "targetInFlight: 1, window: 4s, upscaleStabilizationPeriod: 1s,"
                            + " downscaleStabilizationPeriod: 5s, maxUpscaleFactor: 3,"
                            + " maxDownscaleFactor: 0.3, panic: {window: 2s, threshold: 2.0}")
                    .yaml(),
                ApiSpec.api(SLEEPY)
                    .model(m.addFp32("sleepy.onnx", 4))
                    .traffic(4, 100, "90s")
                    .autoscaling(
                        0,
                        1,
                        1,
                        "targetInFlight: 1, window: 2s, upscaleStabilizationPeriod: 1s,"
                            + " downscaleStabilizationPeriod: 3s, panic: {window: 1s, threshold: 2.0}")
                    .yaml()));
    platform.management().awaitReady(ELASTIC, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void aLoadStepScalesUpTheNewReplicasServeAndNoLoadScalesBackDown() {
    String json = V2Requests.json(Inputs.slow(SLOW_WIDTH));
    assertThat(platform.management().api(ELASTIC).requestedReplicas()).isEqualTo(1);
    long t0 = System.nanoTime();
    LoadReport load;
    Map<String, Double> servedByReplica = new HashMap<>();
    double scaledUpAfter;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("load step", 4, 0, 100_000, Duration.ofSeconds(150)),
            LoadGenerator.http(() -> platform.http().inferJson(ELASTIC, json)))) {
      await("scaled up to " + MAX_REPLICAS + " ready replicas")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> platform.management().api(ELASTIC).readyReplicas() == MAX_REPLICAS);
      scaledUpAfter = (System.nanoTime() - t0) / 1e9;
      List<ReplicaRecord> replicas = platform.replicas(ELASTIC);
      assertThat(replicas).hasSize(MAX_REPLICAS);
      Map<String, Double> before = new HashMap<>();
      for (ReplicaRecord r : replicas) {
        before.put(r.id(), platform.replicaMetric(r, "serval_predictor_requests_total", ""));
      }
      // Every replica, the new ones included, takes part of the load.
      await("every replica served requests")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  replicas.stream()
                      .allMatch(
                          r ->
                              platform.replicaMetric(r, "serval_predictor_requests_total", "")
                                  > before.get(r.id()) + 5));
      for (ReplicaRecord r : replicas) {
        servedByReplica.put(
            r.id(),
            platform.replicaMetric(r, "serval_predictor_requests_total", "") - before.get(r.id()));
      }
      load = gen.stop();
    }
    ApiState up = platform.management().api(ELASTIC);
    System.out.println("[scenario 7] " + load.describe());
    System.out.printf(
        "[scenario 7] scaled 1 -> %d ready replicas %.1f s after the load step (%s); requests"
            + " served per replica since: %s%n",
        MAX_REPLICAS,
        scaledUpAfter,
        up.json().path("status").path("lastScaleReason").asText(),
        servedByReplica);
    assertThat(load.failures()).as(load.describe()).isEmpty();

    long stopped = System.nanoTime();
    await("scaled back down to 1")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                platform.management().api(ELASTIC).requestedReplicas() == 1
                    && platform.replicas(ELASTIC).size() == 1);
    ApiState down = platform.management().api(ELASTIC);
    System.out.printf(
        "[scenario 7] back to 1 replica %.1f s after the load stopped (%s)%n",
        (System.nanoTime() - stopped) / 1e9,
        down.json().path("status").path("lastScaleReason").asText());
    assertThat(platform.predictorProcesses())
        .as("surplus replicas stopped")
        .hasSize(1 + platform.replicas(SLEEPY).size());
  }

  @Test
  @Order(2)
  void anApiAtZeroReplicasServesItsFirstRequestAfterWaking() {
    await(SLEEPY + " scaled to zero")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                platform.management().api(SLEEPY).requestedReplicas() == 0
                    && platform.replicas(SLEEPY).isEmpty());
    ApiState asleep = platform.management().api(SLEEPY);
    System.out.println(
        "[scenario 7] asleep: "
            + asleep.summary()
            + " ("
            + asleep.json().path("status").path("lastScaleReason").asText()
            + ")");
    HttpAnswer first = platform.http().inferJson(SLEEPY, V2Requests.json(Inputs.add(4, 7)));
    System.out.printf(
        "[scenario 7] first request to the sleeping API: %d after %.1f s, served by %s%n",
        first.status(), first.latencyMillis() / 1000, first.revision());
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.revision()).startsWith(SLEEPY + "/");
    ApiState awake = platform.management().api(SLEEPY);
    assertThat(awake.requestedReplicas()).isEqualTo(1);
    assertThat(platform.replicas(SLEEPY)).hasSize(1);
  }
}
