package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serval.it.client.ApiSpec;
import io.serval.it.client.ApiState;
import io.serval.it.client.Inputs;
import io.serval.it.client.ManagementClient;
import io.serval.it.client.StatusRecorder;
import io.serval.it.client.V2Requests;
import io.serval.it.load.LoadGenerator;
import io.serval.it.load.LoadReport;
import io.serval.it.load.Outcome;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ReplicaRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8, scenarios 5 (blue-green and canary rollouts under steady load) and 6 (automatic rollback
 * of a revision that cannot load), one after the other on one API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {

  static final String API = "rollout";
  static final int WIDTH = 4;
  static final int REPLICAS = 2;

  /** At least 100 requests/s for the whole rollout, as the issue asks. */
  static final double RATE = 120;

  static Platform platform;
  static String json;

  /** The revision scenario 6 rolled back (set by the test that made it). */
  static String brokenRevision;

  @BeforeAll
  static void start() {
    platform = Platform.builder("RolloutIT").start();
    json = V2Requests.json(Inputs.add(WIDTH, 1));
    platform
        .management()
        .deploy(spec(platform.models().addFp32("v1.onnx", WIDTH), "{strategy: BlueGreen}"));
    platform.management().awaitReady(API, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static String spec(Path model, String rollout) {
    return ApiSpec.api(API)
        .model(model)
        .traffic(8, 500, "10s")
        .replicas(REPLICAS)
        .rollout(rollout)
        .yaml();
  }

  @Test
  @Order(1)
  void blueGreenRolloutUnderLoadFailsNothingAndStopsTheOldReplicasAfterDraining() {
    Rollout r =
        rollOut(
            spec(platform.models().addFp32("v2.onnx", WIDTH), "{strategy: BlueGreen}"),
            "blue-green");
    r.assertClean();
    // One switch: every answer of the old revision started before the first of the new one
    // (give or take the requests in flight at the switch).
    long firstNew =
        r.load().outcomes().stream()
            .filter(o -> r.servedBy(r.newRevision()).equals(o.revision()))
            .mapToLong(Outcome::startNanos)
            .min()
            .orElseThrow();
    long lastOld =
        r.load().outcomes().stream()
            .filter(o -> r.servedBy(r.oldRevision()).equals(o.revision()))
            .mapToLong(Outcome::startNanos)
            .max()
            .orElseThrow();
    System.out.printf(
        "[scenario 5] blue-green: last old-revision request started %.0f ms after the first"
            + " new-revision one%n",
        (lastOld - firstNew) / 1e6);
    assertThat((lastOld - firstNew) / 1e6)
        .as("old and new revision overlap (ms) at the switch")
        .isLessThan(1_000);
  }

  @Test
  @Order(2)
  void canaryRolloutWalksItsStepsUnderLoad() {
    Rollout r =
        rollOut(
            spec(
                platform.models().addFp32("v3.onnx", WIDTH),
                "{strategy: Canary, steps: [25, 50, 100], stepInterval: 4s}"),
            "canary");
    r.assertClean();
    // The share of the new revision in each step, from the status changes the recorder saw.
    List<Integer> seenSteps = new ArrayList<>();
    List<StatusRecorder.Change> changes = r.changes();
    for (int i = 0; i < changes.size(); i++) {
      Integer share = changes.get(i).traffic().get(r.newRevision());
      if (share == null || share == 0 || share == 100) {
        continue;
      }
      seenSteps.add(share);
      long from = changes.get(i).nanos() + 500_000_000L; // routes reach the router a bit later
      long to = i + 1 < changes.size() ? changes.get(i + 1).nanos() - 500_000_000L : Long.MAX_VALUE;
      LoadReport window = r.load().filter(o -> o.startNanos() >= from && o.startNanos() < to);
      double observed =
          100.0
              * window.outcomes().stream()
                  .filter(o -> r.servedBy(r.newRevision()).equals(o.revision()))
                  .count()
              / Math.max(1, window.total());
      System.out.printf(
          "[scenario 5] canary step %d%%: %d requests, %.1f%% answered by the new revision%n",
          share, window.total(), observed);
      assertThat(window.total()).as("requests in the %d%% step", share).isGreaterThan(100);
      assertThat(observed)
          .as("new revision's share in the %d%% step", share)
          .isBetween(share - 10.0, share + 10.0);
    }
    assertThat(seenSteps).as("canary steps seen in the status").containsExactly(25, 50);
  }

  @Test
  @Order(3)
  void aRevisionThatCannotLoadIsRolledBackUnderLoadWithAReason() {
    ApiState before = platform.management().api(API);
    String good = before.currentRevision();
    List<ReplicaRecord> goodReplicas = platform.replicas(API);
    LoadReport load;
    String broken;
    ApiState after;
    try (LoadGenerator gen = steadyLoad("broken rollout")) {
      awaitAnswers(gen, 200);
      broken =
          platform
              .management()
              .deploy(spec(platform.models().broken("v4-broken.onnx"), "{strategy: BlueGreen}"))
              .path("resources")
              .get(0)
              .path("revision")
              .asText();
      assertThat(broken).isNotEqualTo(good);
      brokenRevision = broken;
      after = awaitRolledBack("rollback of " + broken);
      awaitAnswers(gen, gen.completed() + 200);
      load = gen.stop();
    }
    System.out.println("[scenario 6] " + load.describe());
    System.out.println("[scenario 6] status after: " + after.summary());
    System.out.println(
        "[scenario 6] RolloutInProgress: "
            + after.conditionReason("RolloutInProgress")
            + ": "
            + after.conditionMessage("RolloutInProgress"));
    assertThat(load.failures()).as(load.describe()).isEmpty();
    assertThat(load.ratePerSecond()).isGreaterThanOrEqualTo(100);
    assertThat(load.byRevision()).containsOnlyKeys(API + "/" + good);
    assertThat(after.conditionTrue("RolloutInProgress")).isFalse();
    assertThat(after.conditionMessage("RolloutInProgress")).contains(broken).contains(good);
    assertThat(after.currentRevision()).isEqualTo(good);
    assertThat(after.traffic()).containsEntry(good, 100);
    await("broken replicas gone, good ones untouched")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(platform.replicas(API))
                  .extracting(ReplicaRecord::revision)
                  .containsOnly(good);
              assertThat(platform.replicas(API))
                  .extracting(ReplicaRecord::pid)
                  .containsExactlyInAnyOrderElementsOf(
                      goodReplicas.stream().map(ReplicaRecord::pid).toList());
            });
  }

  @Test
  @Order(4)
  void aManualRollbackUnderLoadFailsNothingAndSkipsTheRevisionThatFailed() {
    // History now: v1, v2 (blue-green), v3 (canary, current), v4 (failed to load, rolled back).
    String failed = brokenRevision;
    assertThat(failed).as("scenario 6 ran first").isNotNull();
    Rollout r =
        rollOut(
            () -> {
              ManagementClient.Response answer =
                  platform.management().send("POST", "/v1/apis/" + API + "/rollback", null);
              assertThat(answer.status()).as(answer.body()).isEqualTo(200);
              return platform.management().api(API).currentRevision();
            },
            "manual rollback");
    System.out.printf(
        "[scenario 5] manual rollback from %s went to %s (skipping %s, which failed)%n",
        r.oldRevision(), r.newRevision(), failed);
    assertThat(r.newRevision()).isNotEqualTo(failed);
    r.assertClean();
  }

  @Test
  @Order(5)
  void aCanaryThatFailsMoreThanTheOldRevisionIsRolledBackOnItsErrorRate() {
    String good = platform.management().api(API).currentRevision();
    List<ReplicaRecord> goodReplicas = platform.replicas(API);
    // Loads and warms up fine, but expects 8 values where the clients send 4: every request the
    // canary takes fails (400 / INVALID_ARGUMENT), while the old revision answers them all.
    Path incompatible = platform.models().addFp32("v6-wide.onnx", 2 * WIDTH);
    LoadReport load;
    String canary;
    ApiState after;
    try (LoadGenerator gen = steadyLoad("failing canary")) {
      awaitAnswers(gen, 200);
      canary =
          platform
              .management()
              .deploy(
                  spec(
                      incompatible,
                      "{strategy: Canary, steps: [25, 100], stepInterval: 10m,"
                          + " maxErrorRateIncrease: 5, minRequests: 20}"))
              .path("resources")
              .get(0)
              .path("revision")
              .asText();
      after = awaitRolledBack("error-rate rollback of " + canary);
      long rolledBackAt = gen.completed();
      awaitAnswers(gen, rolledBackAt + 300);
      load = gen.stop();
    }
    String message = after.conditionMessage("RolloutInProgress");
    System.out.println("[scenario 6] " + load.describe());
    System.out.println("[scenario 6] RolloutInProgress: RolledBack: " + message);
    assertThat(message)
        .contains("revision " + canary + " failed")
        .contains("points worse: rolled back to " + good);
    assertThat(after.currentRevision()).isEqualTo(good);
    assertThat(after.traffic()).containsEntry(good, 100);
    // Only the canary's answers failed, and only while it had its 25%.
    assertThat(load.failures())
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.revision()).isEqualTo(API + "/" + canary));
    assertThat(load.outcomes().stream().filter(o -> (API + "/" + good).equals(o.revision())))
        .allSatisfy(o -> assertThat(o.status()).isEqualTo("200"));
    // After the rollback, traffic is back on the old revision and nothing fails: the last 200
    // requests (started well after the switch) all succeeded on it.
    assertThat(load.outcomes().subList(load.outcomes().size() - 200, load.outcomes().size()))
        .allSatisfy(
            o -> {
              assertThat(o.status()).isEqualTo("200");
              assertThat(o.revision()).isEqualTo(API + "/" + good);
            });
    await("canary replicas gone, old ones untouched")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(platform.replicas(API))
                    .extracting(ReplicaRecord::pid)
                    .containsExactlyInAnyOrderElementsOf(
                        goodReplicas.stream().map(ReplicaRecord::pid).toList()));
  }

  // ------------------------------------------------------------------ helpers

  record Rollout(
      String oldRevision,
      String newRevision,
      LoadReport load,
      List<StatusRecorder.Change> changes,
      Map<Long, Long> oldExitNanos,
      ApiState finalState) {

    /** The serval-revision value of a revision of this API. */
    String servedBy(String revision) {
      return API + "/" + revision;
    }

    void assertClean() {
      System.out.println("[scenario 5] " + load.describe());
      System.out.println("[scenario 5] final status: " + finalState.summary());
      assertThat(load.failures()).as(load.describe()).isEmpty();
      assertThat(load.ratePerSecond()).as(load.describe()).isGreaterThanOrEqualTo(100);
      assertThat(load.byRevision().keySet())
          .containsExactlyInAnyOrder(API + "/" + oldRevision, API + "/" + newRevision);
      // After the rollout only the new revision answers.
      Outcome last = load.outcomes().getLast();
      assertThat(last.revision()).isEqualTo(API + "/" + newRevision);
      assertThat(finalState.currentRevision()).isEqualTo(newRevision);
      assertThat(finalState.traffic()).isEqualTo(Map.of(newRevision, 100));
      // Drained first: each old replica exited after the last answer of the old revision.
      long lastOldAnswer =
          load.outcomes().stream()
              .filter(o -> (API + "/" + oldRevision).equals(o.revision()))
              .mapToLong(o -> o.startNanos() + o.latencyNanos())
              .max()
              .orElseThrow();
      assertThat(oldExitNanos).hasSize(REPLICAS);
      oldExitNanos.forEach(
          (pid, exit) -> {
            System.out.printf(
                "[scenario 5] old replica pid %d exited %.0f ms after the last old-revision answer%n",
                pid, (exit - lastOldAnswer) / 1e6);
            assertThat(exit).as("exit of old replica %d", pid).isGreaterThan(lastOldAnswer);
          });
    }
  }

  /** Deploys a new revision under steady load and waits until the rollout completed. */
  private static Rollout rollOut(String yaml, String name) {
    return rollOut(
        () -> platform.management().deploy(yaml).path("resources").get(0).path("revision").asText(),
        name);
  }

  /**
   * Starts a rollout with {@code trigger} (which returns the revision rolled out to) under steady
   * load and waits until it completed.
   */
  private static Rollout rollOut(Supplier<String> trigger, String name) {
    String oldRevision = platform.management().api(API).currentRevision();
    List<ReplicaRecord> old = platform.replicas(API);
    assertThat(old).hasSize(REPLICAS);
    Map<Long, Long> exits = new ConcurrentHashMap<>();
    for (ReplicaRecord r : old) {
      ProcessHandle h =
          ProcessHandle.of(r.pid())
              .orElseThrow(() -> new AssertionError("replica " + r + " is not running"));
      h.onExit().thenRun(() -> exits.put(r.pid(), System.nanoTime()));
    }
    LoadReport load;
    String newRevision;
    List<StatusRecorder.Change> changes;
    ApiState done;
    try (LoadGenerator gen = steadyLoad(name + " rollout");
        StatusRecorder recorder =
            new StatusRecorder(platform.management(), API, Duration.ofMillis(200))) {
      awaitAnswers(gen, 200);
      newRevision = trigger.get();
      assertThat(newRevision).isNotEqualTo(oldRevision);
      await(name + " rollout to " + newRevision)
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                ApiState s = platform.management().api(API);
                return s.currentRevision().equals(newRevision)
                    && s.settled()
                    && s.traffic().equals(Map.of(newRevision, 100))
                    && exits.size() == REPLICAS;
              });
      done = platform.management().api(API);
      awaitAnswers(gen, gen.completed() + 200);
      load = gen.stop();
      changes = recorder.changes();
    }
    changes.forEach(
        c ->
            System.out.printf(
                "[scenario 5] %s status: traffic %s, rollout %s (%s)%n",
                name, c.traffic(), c.rollout(), c.message()));
    return new Rollout(oldRevision, newRevision, load, changes, exits, done);
  }

  private static LoadGenerator steadyLoad(String name) {
    return LoadGenerator.start(
        new LoadGenerator.Spec(name, 64, RATE, 40_000, Duration.ofSeconds(240)),
        LoadGenerator.http(() -> platform.http().inferJson(API, json)));
  }

  /** Waits until the API's rollout says RolledBack, and answers the API's state then. */
  private static ApiState awaitRolledBack(String what) {
    await(what)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                "RolledBack"
                    .equals(platform.management().api(API).conditionReason("RolloutInProgress")));
    return platform.management().api(API);
  }

  private static void awaitAnswers(LoadGenerator gen, long n) {
    await("load reached " + n + " answers")
        .atMost(Duration.ofSeconds(60))
        .until(() -> gen.completed() >= n);
  }
}
