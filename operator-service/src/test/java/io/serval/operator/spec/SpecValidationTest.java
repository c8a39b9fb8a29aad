package io.serval.operator.spec;

import static io.serval.operator.spec.SpecFixtures.api;
import static io.serval.operator.spec.SpecFixtures.splitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One test per value constraint, each asserting the exact message with its field path. */
class SpecValidationTest {

  private final SpecParser parser = new SpecParser();

  @Test
  void nameMustBeDns1123() {
    assertProblem(
        api("MiniLM"),
        "MiniLM: metadata.name: must be a DNS-1123 label (lowercase letters, digits and '-',"
            + " starting and ending with a letter or digit, at most 42 characters), got \"MiniLM\"");
    assertRefused(api("-x"));
    assertRefused(api("a".repeat(43)));
    assertThat(parser.parse(api("a-1"))).hasSize(1);
  }

  @Test
  void maxReplicasAtLeastMin() {
    assertProblem(
        api("minilm", "autoscaling: {minReplicas: 1, maxReplicas: 0}"),
        "minilm: spec.autoscaling.maxReplicas: must be >= minReplicas (1), got 0");
    assertProblem(
        api("minilm", "autoscaling: {minReplicas: 0, maxReplicas: 0}"),
        "minilm: spec.autoscaling.maxReplicas: must be >= 1, got 0");
    assertProblem(
        api("minilm", "autoscaling: {minReplicas: 3, maxReplicas: 2, initReplicas: 2}"),
        "minilm: spec.autoscaling.maxReplicas: must be >= minReplicas (3), got 2");
  }

  @Test
  void minReplicasNotNegative() {
    assertProblem(
        api("m", "autoscaling: {minReplicas: -1, initReplicas: 0}"),
        "m: spec.autoscaling.minReplicas: must be >= 0, got -1");
  }

  @Test
  void initReplicasBetweenMinAndMax() {
    assertProblem(
        api("m", "autoscaling: {minReplicas: 1, maxReplicas: 10, initReplicas: 20}"),
        "m: spec.autoscaling.initReplicas: must be between minReplicas (1) and maxReplicas (10),"
            + " got 20");
  }

  @Test
  void targetInFlightWithinConcurrencyPlusQueue() {
    assertProblem(
        api(
            "m",
            "traffic: {maxConcurrency: 8, maxQueueLength: 100}\nautoscaling: {targetInFlight: 109}"),
        "m: spec.autoscaling.targetInFlight: must be <= traffic.maxConcurrency +"
            + " traffic.maxQueueLength (108), got 109");
    assertProblem(
        api("m", "autoscaling: {targetInFlight: 0}"),
        "m: spec.autoscaling.targetInFlight: must be > 0, got 0");
  }

  @Test
  void windowIsAMultipleOfTheTick() {
    assertProblem(
        api("m", "autoscaling: {window: 15s}"),
        "m: spec.autoscaling.window: must be a multiple of the autoscaler tick (10s), got 15s");
    assertProblem(
        api("m", "autoscaling: {window: 5s, panic: {window: 5s}}"),
        "m: spec.autoscaling.window: must be a multiple of the autoscaler tick (10s), got 5s");
    // the tick is configurable
    assertThat(new SpecParser(Duration.ofSeconds(5)).parse(api("m", "autoscaling: {window: 15s}")))
        .hasSize(1);
  }

  @Test
  void upscaleFactorAboveOne() {
    assertProblem(
        api("m", "autoscaling: {maxUpscaleFactor: 1.0}"),
        "m: spec.autoscaling.maxUpscaleFactor: must be > 1, got 1");
  }

  @Test
  void downscaleFactorInUnitRange() {
    assertProblem(
        api("m", "autoscaling: {maxDownscaleFactor: 1.0}"),
        "m: spec.autoscaling.maxDownscaleFactor: must be in [0, 1), got 1");
  }

  @Test
  void tolerancesInRange() {
    assertProblem(
        api("m", "autoscaling: {upscaleTolerance: -0.1}"),
        "m: spec.autoscaling.upscaleTolerance: must be >= 0, got -0.1");
    assertProblem(
        api("m", "autoscaling: {downscaleTolerance: 1.5}"),
        "m: spec.autoscaling.downscaleTolerance: must be in [0, 1), got 1.5");
  }

  @Test
  void overprovisioningInUnitRange() {
    assertProblem(
        api("m", "autoscaling: {overprovisioning: 1}"),
        "m: spec.autoscaling.overprovisioning: must be in [0, 1), got 1");
  }

  @Test
  void panicWindowAndThreshold() {
    assertProblem(
        api("m", "autoscaling: {window: 10s, panic: {window: 20s}}"),
        "m: spec.autoscaling.panic.window: must be >= 1s and <= window (10s), got 20s");
    // the autoscaler keeps in-flight samples per second: it would read 500ms as 1s
    assertProblem(
        api("m", "autoscaling: {panic: {window: 500ms}}"),
        "m: spec.autoscaling.panic.window: must be >= 1s and <= window (1m), got 500ms");
    assertProblem(
        api("m", "autoscaling: {panic: {threshold: 0.5}}"),
        "m: spec.autoscaling.panic.threshold: must be > 1, got 0.5");
    // the autoscaler took 1 before both used AutoscalingRules; at 1 any steady full load is panic
    assertProblem(
        api("m", "autoscaling: {panic: {threshold: 1}}"),
        "m: spec.autoscaling.panic.threshold: must be > 1, got 1");
  }

  @Test
  void batchingFieldsPositive() {
    assertProblem(
        api("m", "predictor: {batching: {maxBatchSize: 0}}"),
        "m: spec.predictor.batching.maxBatchSize: must be >= 1, got 0");
    assertProblem(
        api("m", "predictor: {batching: {maxQueueDelay: 0ms}}"),
        "m: spec.predictor.batching.maxQueueDelay: must be > 0, got 0s");
    assertProblem(
        api("m", "predictor: {batching: {maxQueueSize: 0}}"),
        "m: spec.predictor.batching.maxQueueSize: must be >= 1, got 0");
  }

  @Test
  void workersAndThreadsPositive() {
    assertProblem(
        api("m", "predictor: {workers: 0}"), "m: spec.predictor.workers: must be >= 1, got 0");
    assertProblem(
        api("m", "predictor: {threadsPerWorker: 0}"),
        "m: spec.predictor.threadsPerWorker: must be >= 1, got 0");
  }

  @Test
  void trafficLimitsInCortexRange() {
    assertProblem(
        api("m", "traffic: {maxConcurrency: 0}"),
        "m: spec.traffic.maxConcurrency: must be between 1 and 30000, got 0");
    assertProblem(
        api("m", "traffic: {maxQueueLength: 30001}"),
        "m: spec.traffic.maxQueueLength: must be between 1 and 30000, got 30001");
    assertProblem(
        api("m", "traffic: {timeout: 0s}"), "m: spec.traffic.timeout: must be > 0, got 0s");
  }

  @Test
  void asyncResultTtlBetweenAMinuteAndThirtyDays() {
    assertProblem(
        api("m", "async: {resultTtl: 30s}"),
        "m: spec.async.resultTtl: must be between 1m and 720h, got 30s");
    assertProblem(
        api("m", "async: {resultTtl: 721h}"),
        "m: spec.async.resultTtl: must be between 1m and 720h, got 721h");
  }

  @Test
  void modelUriIsFileHttpOrS3() {
    assertProblem(
        "kind: RealtimeApi\nmetadata: {name: m}\nspec: {model: {uri: 'gs://b/m.onnx'}}\n",
        "m: spec.model.uri: must be file:/absolute/path.onnx, file:relative/path.onnx,"
            + " http(s)://host/path or s3://bucket/key, got \"gs://b/m.onnx\"");
    assertProblem(
        "kind: RealtimeApi\nmetadata: {name: m}\nspec: {model: {uri: 's3://b'}}\n",
        "m: spec.model.uri: must be file:/absolute/path.onnx, file:relative/path.onnx,"
            + " http(s)://host/path or s3://bucket/key, got \"s3://b\"");
    assertThat(
            parser.parse(
                "kind: RealtimeApi\nmetadata: {name: m}\nspec: {model: {uri: 's3://b/m.onnx'}}\n"))
        .hasSize(1);
    assertThat(
            parser.parse(
                "kind: RealtimeApi\nmetadata: {name: m}\nspec: {model: {uri: 'file:/abs/m.onnx'}}\n"))
        .hasSize(1);
  }

  @Test
  void modelPlatformAndDigest() {
    assertProblem(
        api("m", "model: {uri: 'file:m.onnx', platform: tensorflow}")
            .replace("  model: {uri: \"file:models/m.onnx\"}\n", ""),
        "m: spec.model.platform: must be onnx, got \"tensorflow\"");
    assertProblem(
        api("m", "model: {uri: 'file:m.onnx', sha256: XYZ}")
            .replace("  model: {uri: \"file:models/m.onnx\"}\n", ""),
        "m: spec.model.sha256: must be 64 lowercase hex digits, got \"XYZ\"");
  }

  @Test
  void computeQuantities() {
    assertProblem(
        api("m", "compute: {cpu: 10m}"), "m: spec.compute.cpu: must be at least 20m, got \"10m\"");
    assertProblem(
        api("m", "compute: {mem: lots}"),
        "m: spec.compute.mem: must be a memory quantity like 512Mi, 1Gi or 1G, got \"lots\"");
    assertProblem(
        api("m", "compute: {gpu: 1, inf: 1}"),
        "m: spec.compute.inf: cannot be combined with gpu (gpu 1, inf 1)");
    assertProblem(api("m", "compute: {gpu: -1}"), "m: spec.compute.gpu: must be >= 0, got -1");
  }

  @Test
  void rolloutSteps() {
    assertProblem(
        api("m", "rollout: {strategy: Canary, steps: [10, 5, 100]}"),
        "m: spec.rollout.steps: must be increasing percentages in 1..100 ending with 100, got"
            + " [10, 5, 100]");
    assertProblem(
        api("m", "rollout: {strategy: Canary, steps: [10, 50]}"),
        "m: spec.rollout.steps: must be increasing percentages in 1..100 ending with 100, got"
            + " [10, 50]");
    assertProblem(
        api("m", "rollout: {steps: [50, 100]}"),
        "m: spec.rollout.steps: must be [100] for strategy BlueGreen (use strategy Canary for"
            + " steps), got [50, 100]");
    assertProblem(
        api("m", "rollout: {strategy: Linear}"),
        "m: spec.rollout.strategy: must be one of BlueGreen, Canary, got \"Linear\"");
  }

  @Test
  void canaryAnalysisBounds() {
    assertProblem(
        api("m", "rollout: {strategy: Canary, maxErrorRateIncrease: 120}"),
        "m: spec.rollout.maxErrorRateIncrease: must be percentage points in 0..100, got 120");
    assertProblem(
        api("m", "rollout: {strategy: Canary, minRequests: 0}"),
        "m: spec.rollout.minRequests: must be >= 1, got 0");
    assertProblem(
        api("m", "rollout: {strategy: Canary, minRequests: many}"),
        "m: spec.rollout.minRequests: must be an integer, got \"many\"");
  }

  @Test
  void splitterWeightsSumTo100() {
    assertProblem(
        splitter("s", "- {name: a, weight: 50}\n- {name: b, weight: 40}"),
        "s: spec.apis: weights of the non-shadow APIs must sum to 100, got 90");
  }

  @Test
  void splitterAtMostOneShadow() {
    assertProblem(
        splitter(
            "s",
            "- {name: a, weight: 100}\n- {name: b, weight: 5, shadow: true}\n- {name: c, weight: 5,"
                + " shadow: true}"),
        "s: spec.apis: must have at most one shadow API, got 2");
  }

  @Test
  void splitterWeightsInRangeAndUniqueApis() {
    assertProblem(
        splitter("s", "- {name: a, weight: 120}\n- {name: b, weight: -20}"),
        "s: spec.apis[0].weight: must be between 0 and 100, got 120");
    assertProblem(
        splitter("s", "- {name: a, weight: 50}\n- {name: a, weight: 50}"),
        "s: spec.apis[1].name: must be unique in the splitter, \"a\" appears twice");
    assertProblem(splitter("s", "- {name: a}"), "s: spec.apis[0].weight: required");
  }

  @Test
  void predictorSettingsHaveUpperBounds() {
    assertProblem(
        api("m", "predictor: {workers: 65}"),
        "m: spec.predictor.workers: must be at most 64, got 65");
    assertProblem(
        api("m", "predictor: {threadsPerWorker: 1000}"),
        "m: spec.predictor.threadsPerWorker: must be at most 64, got 1000");
    assertProblem(
        api("m", "predictor: {batching: {maxBatchSize: 100000}}"),
        "m: spec.predictor.batching.maxBatchSize: must be at most 4096, got 100000");
    assertProblem(
        api("m", "predictor: {batching: {maxQueueSize: 2000000000}}"),
        "m: spec.predictor.batching.maxQueueSize: must be at most 100000, got 2000000000");
    assertProblem(
        api("m", "predictor: {batching: {maxQueueDelay: 1m}}"),
        "m: spec.predictor.batching.maxQueueDelay: must be at most 10s, got 1m");
    assertThat(parser.parse(api("m", "predictor: {workers: 64, threadsPerWorker: 64}"))).hasSize(1);
  }

  @Test
  void replicasHaveAnUpperBoundOnEveryRuntime() {
    assertProblem(
        api("m", "autoscaling: {minReplicas: 1, maxReplicas: 300000, initReplicas: 1}"),
        "m: spec.autoscaling.maxReplicas: must be at most 1000, got 300000");
    assertProblem(
        api("m", "autoscaling: {minReplicas: 2000, maxReplicas: 2000, initReplicas: 2000}"),
        "m: spec.autoscaling.minReplicas: must be at most 1000, got 2000");
  }

  @Test
  void trafficTimeoutsAndPeriodsHaveUpperBounds() {
    assertProblem(
        api("m", "traffic: {timeout: 2h}"), "m: spec.traffic.timeout: must be at most 1h, got 2h");
    assertProblem(
        api("m", "autoscaling: {downscaleStabilizationPeriod: 5h}"),
        "m: spec.autoscaling.downscaleStabilizationPeriod: must be at most 1h, got 5h");
    assertProblem(
        api("m", "rollout: {readyTimeout: 48h}"),
        "m: spec.rollout.readyTimeout: must be at most 24h, got 48h");
  }

  @Test
  void hugeDurationsAreRefusedNotWrappedRound() {
    // 999999999999h in nanoseconds does not fit a long: it used to wrap round to a small value
    assertProblem(
        api("m", "traffic: {timeout: 999999999999h}"),
        "m: spec.traffic.timeout: must be at most 8760h, got \"999999999999h\"");
    assertProblem(
        api("m", "rollout: {stepInterval: 99999999999999999999999999ms}"),
        "m: spec.rollout.stepInterval: must be at most 8760h, got"
            + " \"99999999999999999999999999ms\"");
  }

  @Test
  void aRuntimeCapLimitsReplicasAndLowersTheDefault() {
    ReplicaCap cap =
        new ReplicaCap("local", 16, "serval.operator.local.max-replicas-per-api", 64, "x.total");
    SpecParser capped = new SpecParser(SpecDefaults.AUTOSCALER_TICK, java.util.Optional.of(cap));
    assertThatThrownBy(() -> capped.parse(api("m", "autoscaling: {maxReplicas: 17}")))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "m: spec.autoscaling.maxReplicas: must be at most 16 on the local runtime"
                            + " (its cap per API, serval.operator.local.max-replicas-per-api),"
                            + " got 17"));
    // a spec that leaves maxReplicas out gets the cap, not 100
    RealtimeApi api = (RealtimeApi) capped.parse(api("m")).getFirst();
    assertThat(api.spec().autoscaling().maxReplicas()).isEqualTo(16);
    assertThat(((RealtimeApi) parser.parse(api("m")).getFirst()).spec().autoscaling().maxReplicas())
        .isEqualTo(100);
  }

  private void assertRefused(String yaml) {
    assertThatThrownBy(() -> parser.parse(yaml)).isInstanceOf(SpecException.class);
  }

  private void assertProblem(String yaml, String expected) {
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class, e -> assertThat(e.problems()).contains(expected));
  }
}
