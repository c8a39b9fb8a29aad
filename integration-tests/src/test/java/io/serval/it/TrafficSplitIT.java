package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiSpec.Target;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.load.Outcome;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import io.serval.proto.inference.ModelInferRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Issue 8, scenario 2: weighted splitting, shadow share, and a slow shadow's effect on p99. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficSplitIT {

  private static final String PLAIN = "plain:";
  private static final String SHADOWED = "shadowed:";

  static final int WIDTH = 4;
  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.builder("TrafficSplitIT").start();
    var m = platform.models();
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                ApiSpec.api("split-a")
                    .model(m.addFp32("a.onnx", WIDTH))
                    .traffic(8, 200, "10s")
                    .replicas(1)
                    .yaml(),
                ApiSpec.api("split-b")
                    .model(m.addFp32("b.onnx", WIDTH))
                    .traffic(8, 200, "10s")
                    .replicas(1)
                    .yaml(),
                ApiSpec.api("mirror")
                    .model(m.addFp32("mirror.onnx", WIDTH))
                    .traffic(8, 2000, "30s")
                    .replicas(1)
                    .yaml(),
                // Slow without using CPU: the batcher holds every request for its full 100 ms
                // queue delay, as the router lets one request at a time reach the replica (30x the
                // primary's latency). A CPU-bound model would also be slow, but on two shared cores
                // it measures the scheduler, not whether the router keeps the shadow off the path.
                ApiSpec.api("slow-mirror")
                    .model(m.addFp32("slow-mirror.onnx", WIDTH))
                    .predictor("batching: {maxBatchSize: 64, maxQueueDelay: 100ms}")
                    .traffic(1, 2, "30s")
                    .replicas(1)
                    .yaml()));
    for (String api : List.of("split-a", "split-b", "mirror", "slow-mirror")) {
      platform.management().awaitReady(api, Duration.ofSeconds(120));
    }
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                ApiSpec.splitter(
                    "split",
                    List.of(
                        new Target("split-a", 80, false),
                        new Target("split-b", 20, false),
                        new Target("mirror", 20, true))),
                ApiSpec.splitter("plain", List.of(new Target("split-a", 100, false))),
                ApiSpec.splitter(
                    "shadowed",
                    List.of(
                        new Target("split-a", 100, false), new Target("slow-mirror", 10, true)))));
    await("splitters routed")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                List.of("split", "plain", "shadowed").stream()
                    .allMatch(
                        s -> platform.http().get("/v2/models/" + s + "/ready").status() == 200));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void splitsEightyTwentyAndMirrorsTheShadowShare() {
    int n = 5_000;
    ReplicaRecord mirror = platform.replicas("mirror").getFirst();
    double mirroredBefore = platform.replicaMetric(mirror, "serval_predictor_requests_total", "");
    ModelInferRequest request = V2Requests.grpc("split", Inputs.add(WIDTH, 2));
    LoadReport r =
        LoadGenerator.start(
                new LoadGenerator.Spec("80/20 split", 8, 0, n, Duration.ofSeconds(300)),
                () -> platform.grpc().infer(request, Duration.ofSeconds(10)).toOutcome())
            .await();
    // Mirrored copies are answered after the client's answer: wait until the count settles.
    await("mirror caught up")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> platform.routerMetric("serval_router_in_flight", "api=\"mirror\"") == 0);
    double mirrored =
        platform.replicaMetric(mirror, "serval_predictor_requests_total", "") - mirroredBefore;
    double a = 100.0 * r.byApi().getOrDefault("split-a", 0L) / n;
    double b = 100.0 * r.byApi().getOrDefault("split-b", 0L) / n;
    double shadow = 100.0 * mirrored / n;
    System.out.println("[scenario 2] " + r.describe());
    System.out.printf(
        "[scenario 2] split-a %.2f%% (80 +-3), split-b %.2f%% (20 +-3), shadow 'mirror' received"
            + " %.0f = %.2f%% (20 +-3)%n",
        a, b, mirrored, shadow);
    assertThat(r.total()).isEqualTo(n);
    assertThat(r.failures()).as(r.describe()).isEmpty();
    assertThat(r.byApi().keySet()).containsExactlyInAnyOrder("split-a", "split-b");
    assertThat(a).isBetween(77.0, 83.0);
    assertThat(b).isBetween(17.0, 23.0);
    assertThat(shadow).isBetween(17.0, 23.0);
  }

  @Test
  @Order(2)
  void aSlowShadowLeavesThePrimarysP99Alone() {
    // Requests with and without the shadow alternate within one run, so that the machine's
    // hiccups (GC, the scheduler, other processes on two cores) hit both sides alike: measured in
    // separate phases, the p99 of the same path moved by up to 3x from one phase to the next. Even
    // alternating, the p99 of 6,000 requests a side (the 60th slowest, set by those hiccups) moved
    // by +0.2% to +11% between CI runs with the same code, so a run whose sides differ by more than
    // 10% is repeated, up to three in all. A shadow that really slowed the primary would fail all
    // three.
    ModelInferRequest plain = V2Requests.grpc("plain", Inputs.add(WIDTH, 3));
    ModelInferRequest shadowed = V2Requests.grpc("shadowed", Inputs.add(WIDTH, 3));
    ReplicaRecord slow = platform.replicas("slow-mirror").getFirst();
    List<Double> ratios = new ArrayList<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      double slowBefore = platform.replicaMetric(slow, "serval_predictor_requests_total", "");
      AtomicLong sent = new AtomicLong();
      LoadReport all =
          LoadGenerator.start(
                  new LoadGenerator.Spec("alternating", 4, 200, 12_000, Duration.ofSeconds(120)),
                  () -> {
                    boolean withShadow = sent.getAndIncrement() % 2 == 1;
                    Outcome o =
                        platform
                            .grpc()
                            .infer(withShadow ? shadowed : plain, Duration.ofSeconds(10))
                            .toOutcome();
                    return new Outcome(
                        o.startNanos(),
                        o.latencyNanos(),
                        o.status(),
                        o.ok(),
                        (withShadow ? SHADOWED : PLAIN) + o.revision(),
                        o.message());
                  })
              .await();
      double slowServed =
          platform.replicaMetric(slow, "serval_predictor_requests_total", "") - slowBefore;
      LoadReport w0 = all.filter(o -> o.revision().startsWith(PLAIN));
      LoadReport w1 = all.filter(o -> o.revision().startsWith(SHADOWED));
      System.out.println("[scenario 2] attempt " + attempt + " without shadow: " + w0.describe());
      System.out.println("[scenario 2] attempt " + attempt + " with slow shadow: " + w1.describe());
      double p99Without = w0.percentileMillis(99);
      double p99With = w1.percentileMillis(99);
      System.out.printf(
          "[scenario 2] attempt %d: primary p99 without shadow %.2f ms, with slow shadow %.2f ms"
              + " (%+.1f%%, allowed +10%%); the slow shadow ran %.0f mirrored requests%n",
          attempt, p99Without, p99With, 100 * (p99With / p99Without - 1), slowServed);
      assertThat(w0.failures()).as(w0.describe()).isEmpty();
      assertThat(w1.failures()).as(w1.describe()).isEmpty();
      assertThat(w0.total()).isGreaterThanOrEqualTo(5_500);
      assertThat(w1.total()).isGreaterThanOrEqualTo(5_500);
      assertThat(slowServed).as("the slow shadow got mirrored traffic").isGreaterThan(0);
      ratios.add(p99With / p99Without);
      if (p99With <= p99Without * 1.10) {
        break;
      }
    }
    assertThat(ratios.getLast())
        .as("p99 with a slow shadow / without, in every attempt: " + ratios)
        .isLessThanOrEqualTo(1.10);
  }
}
