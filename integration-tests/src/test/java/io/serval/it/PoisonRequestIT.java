package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.HttpAnswer;
import io.serval.it.client.Tensor;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, items 5 and 6: one poison request costs one request and one replica, once. Three
 * replicas serve an integer Mod model (its warm-up must not crash them: zeros as divisors did)
 * under a bounded load of valid requests; one request has a zero divisor, which makes ONNX Runtime
 * raise SIGFPE and kills the replica that runs it. That request alone fails, with a message saying
 * its replica died; the router does not replay it on the other replicas (it did: "lost the
 * connection before answering" counted as never delivered); the dead replica is restarted and the
 * API says Degraded/ReplicaCrashed with the signal meanwhile.
 */
class PoisonRequestIT {

  static final String API = "poison";
  static final int WIDTH = 4;
  static final int REPLICAS = 3;

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.builder("PoisonRequestIT").start();
    platform
        .management()
        .deploy(
            ApiSpec.api(API)
                .model(platform.models().modInt64("mod.onnx", WIDTH))
                // One request per replica at a time: the poison request is alone on its replica,
                // so whatever else fails did so because of the router, not of sharing the victim.
                .traffic(1, 1000, "20s")
                .replicas(REPLICAS)
                .yaml());
    platform.management().awaitReady(API, Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String request(long... divisors) {
    return V2Requests.json(
        List.of(
            Tensor.int64("x", new long[] {1, WIDTH}, 7, 8, 9, 10),
            Tensor.int64("y", new long[] {1, WIDTH}, divisors)));
  }

  @Test
  void aRequestThatKillsItsReplicaFailsAloneAndCostsOneReplicaOnce() {
    List<ReplicaRecord> before = platform.replicas(API);
    assertThat(before).hasSize(REPLICAS);
    Map<String, Long> pidsBefore =
        before.stream().collect(Collectors.toMap(ReplicaRecord::id, ReplicaRecord::pid));
    String valid = request(3, 3, 4, 4);
    assertThat(platform.http().inferJson(API, valid).status()).isEqualTo(200);

    AtomicReference<String> degraded = new AtomicReference<>();
    HttpAnswer poison;
    LoadReport load;
    try (LoadGenerator gen =
        LoadGenerator.start(
            new LoadGenerator.Spec("valid Mod requests", 6, 60, 20_000, Duration.ofSeconds(240)),
            LoadGenerator.http(() -> platform.http().inferJson(API, valid)))) {
      awaitAnswers(gen, 200);
      poison = platform.http().inferJson(API, request(3, 0, 4, 4));
      await("the API reports the crashed replica")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                ApiState s = platform.management().api(API);
                if (s.conditionTrue("Degraded")
                    && "ReplicaCrashed".equals(s.conditionReason("Degraded"))) {
                  degraded.set(s.conditionMessage("Degraded"));
                }
                return degraded.get() != null;
              });
      await("the dead replica restarted and ready again")
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () ->
                  platform.replicas(API).size() == REPLICAS
                      && platform.replicas(API).stream().allMatch(ReplicaRecord::alive)
                      && !pidsBefore.values().containsAll(pids(platform.replicas(API)))
                      && platform.management().api(API).readyReplicas() == REPLICAS);
      awaitAnswers(gen, gen.completed() + 200);
      load = gen.stop();
    }
    List<ReplicaRecord> after = platform.replicas(API);
    Set<Long> replaced =
        pidsBefore.values().stream()
            .filter(p -> !pids(after).contains(p))
            .collect(Collectors.toSet());
    System.out.println("[poison] " + load.describe());
    System.out.printf(
        "[poison] answer %s; Degraded: %s; replica pids before %s, after %s%n",
        poison, degraded.get(), pidsBefore, after);

    assertThat(poison.status()).as("%s", poison).isEqualTo(500);
    assertThat(poison.error())
        .contains("died or dropped its connection while running it")
        .contains("not retried");
    assertThat(degraded.get()).matches("replica poison-\\S+ died of SIGFPE \\(exit \\d+\\).*");
    assertThat(replaced).as("replicas killed by one poison request").hasSize(1);
    assertThat(after)
        .extracting(ReplicaRecord::id)
        .containsExactlyInAnyOrderElementsOf(pidsBefore.keySet());
    assertThat(load.failures()).as(load.describe()).isEmpty();
    assertThat(load.total()).isGreaterThanOrEqualTo(400);
  }

  private static Set<Long> pids(List<ReplicaRecord> replicas) {
    return replicas.stream().map(ReplicaRecord::pid).collect(Collectors.toSet());
  }

  private static void awaitAnswers(LoadGenerator gen, long n) {
    await("load reached " + n + " answers")
        .atMost(Duration.ofSeconds(90))
        .until(() -> gen.completed() >= n);
  }
}
