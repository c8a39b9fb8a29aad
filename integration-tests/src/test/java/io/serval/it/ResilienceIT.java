package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.Inputs;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.load.Outcome;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8, scenarios 8 (SIGKILL of a predictor replica under load) and 9 (SIGKILL and restart of
 * the operator under load).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceIT {

  static final String API = "resilient";
  static final String OTHER = "bystander";
  static final int WIDTH = 4;
  static final int REPLICAS = 3;
  static final int MAX_CONCURRENCY = 4;

  static Platform platform;
  static String json;

  @BeforeAll
  static void start() {
    platform = Platform.builder("ResilienceIT").start();
    json = V2Requests.json(Inputs.add(WIDTH, 5));
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                ApiSpec.api(API)
                    .model(platform.models().addFp32("resilient.onnx", WIDTH))
                    .traffic(MAX_CONCURRENCY, 1000, "10s")
                    .replicas(REPLICAS)
                    .yaml(),
                ApiSpec.api(OTHER)
                    .model(platform.models().addFp32("bystander.onnx", WIDTH))
                    .replicas(1)
                    .yaml()));
    platform.management().awaitReady(API, Duration.ofSeconds(120));
    platform.management().awaitReady(OTHER, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(8)
  void aKilledReplicaCostsAtMostTheRequestsItHeldAndIsReplaced() {
    List<ReplicaRecord> before = platform.replicas(API);
    assertThat(before).hasSize(REPLICAS);
    ReplicaRecord victim = before.getFirst();
    long killNanos;
    LoadReport load;
    try (LoadGenerator gen = load("replica SIGKILL")) {
      awaitAnswers(gen, 300);
      ProcessHandle h =
          ProcessHandle.of(victim.pid()).orElseThrow(() -> new AssertionError(victim + " is gone"));
      h.destroyForcibly(); // SIGKILL
      // The replica is gone when the kernel has reaped it: until its exit completes its sockets
      // are still open, and the router may still hand it a request (seen once in CI: dispatched
      // 6 ms after the signal, lost with the replica).
      h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
      killNanos = System.nanoTime();
      await("replica " + victim.id() + " replaced")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () ->
                  platform.replicas(API).stream().noneMatch(r -> r.pid() == victim.pid())
                      && platform.replicas(API).size() == REPLICAS
                      && platform.management().api(API).readyReplicas() == REPLICAS);
      awaitAnswers(gen, gen.completed() + 300);
      load = gen.stop();
    }
    List<Outcome> failures = load.failures();
    List<ReplicaRecord> after = platform.replicas(API);
    System.out.println("[scenario 8] " + load.describe());
    System.out.printf(
        "[scenario 8] killed replica %s (pid %d); failed requests: %d (bound: maxConcurrency %d"
            + " per replica); replacement pid %s%n",
        victim.id(),
        victim.pid(),
        failures.size(),
        MAX_CONCURRENCY,
        after.stream()
            .filter(r -> r.id().equals(victim.id()))
            .map(r -> Long.toString(r.pid()))
            .toList());
    // Only requests already on the killed replica may fail: they started before it was gone.
    assertThat(failures)
        .as("failures that started after the kill (never dispatched to the dead replica)")
        .allSatisfy(o -> assertThat(o.startNanos()).isLessThan(killNanos));
    assertThat(failures.size()).as(load.describe()).isLessThanOrEqualTo(MAX_CONCURRENCY);
    assertThat(after).extracting(ReplicaRecord::pid).doesNotContain(victim.pid());
    assertThat(after).allSatisfy(r -> assertThat(r.alive()).isTrue());
    assertThat(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  @Order(9)
  void theRouterServesThroughAnOperatorCrashAndTheRestartedOperatorAdoptsEverything() {
    Map<String, String> apisBefore = apiRevisions();
    Set<Long> pidsBefore = replicaPids();
    assertThat(apisBefore).containsOnlyKeys(API, OTHER);
    LoadReport load;
    try (LoadGenerator gen = load("operator SIGKILL")) {
      awaitAnswers(gen, 300);
      platform.killOperator();
      // Serving with no operator at all for a while.
      awaitAnswers(gen, gen.completed() + 300);
      assertThat(platform.operator().alive()).isFalse();
      assertThat(platform.predictorProcesses())
          .as("replicas keep running without their operator")
          .hasSize(pidsBefore.size());
      platform.restartOperator();
      for (String api : apisBefore.keySet()) {
        platform.management().awaitReady(api, Duration.ofSeconds(60));
      }
      awaitAnswers(gen, gen.completed() + 300);
      load = gen.stop();
    }
    Map<String, String> apisAfter = apiRevisions();
    Set<Long> pidsAfter = replicaPids();
    Set<Long> running =
        platform.predictorProcesses().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    System.out.println("[scenario 9] " + load.describe());
    System.out.printf(
        "[scenario 9] APIs before %s, after %s; replica pids before %s, after %s, predictor"
            + " processes running %s%n",
        apisBefore, apisAfter, pidsBefore, pidsAfter, running);
    assertThat(load.failures()).as(load.describe()).isEmpty();
    assertThat(apisAfter).isEqualTo(apisBefore);
    assertThat(pidsAfter)
        .as("the restarted operator re-adopted the same replicas")
        .isEqualTo(pidsBefore);
    assertThat(running).as("no orphan predictor process").isEqualTo(pidsAfter);
    for (String api : apisAfter.keySet()) {
      ApiState s = platform.management().api(api);
      assertThat(s.settled()).as(s.summary()).isTrue();
    }
  }

  private static Map<String, String> apiRevisions() {
    Map<String, String> out = new TreeMap<>();
    for (ApiState s : platform.management().apis()) {
      out.put(s.name(), s.currentRevision() + " " + s.traffic());
    }
    return out;
  }

  private static Set<Long> replicaPids() {
    return java.util.stream.Stream.of(API, OTHER)
        .flatMap(a -> platform.replicas(a).stream())
        .map(ReplicaRecord::pid)
        .collect(Collectors.toSet());
  }

  private static LoadGenerator load(String name) {
    return LoadGenerator.start(
        new LoadGenerator.Spec(name, 64, 100, 30_000, Duration.ofSeconds(240)),
        LoadGenerator.http(() -> platform.http().inferJson(API, json)));
  }

  private static void awaitAnswers(LoadGenerator gen, long n) {
    await("load reached " + n + " answers")
        .atMost(Duration.ofSeconds(60))
        .until(() -> gen.completed() >= n);
  }
}
