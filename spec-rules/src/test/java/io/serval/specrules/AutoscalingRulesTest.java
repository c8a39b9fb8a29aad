package io.serval.specrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases on which the operator's SpecValidator and the autoscaler's AutoscalingSpec disagreed
 * before they shared these rules, each with the one answer both now give; the comment on each row
 * says who answered what before.
 */
class AutoscalingRulesTest {

  /** Serval's defaults, as the operator fills them in. */
  static AutoscalingValues defaults() {
    return new AutoscalingValues(
        1,
        100,
        1,
        8,
        Duration.ofSeconds(60),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        1.5,
        0.75,
        0.05,
        0.05,
        0,
        Optional.of(new AutoscalingValues.Panic(Duration.ofSeconds(6), 2)));
  }

  static Stream<Arguments> casesThatDisagreedBefore() {
    return Stream.of(
        // overprovisioning: operator [0, 1), autoscaler [0, 10]
        accepted("overprovisioning 0.99", v -> with(v, "overprovisioning", 0.99)),
        refused(
            "overprovisioning 1",
            v -> with(v, "overprovisioning", 1.0),
            "spec.autoscaling.overprovisioning: must be in [0, 1), got 1"),
        refused(
            "overprovisioning 10",
            v -> with(v, "overprovisioning", 10.0),
            "spec.autoscaling.overprovisioning: must be in [0, 1), got 10"),
        // panic.threshold: operator > 1, autoscaler >= 1; infinity: operator yes, autoscaler no
        refused(
            "panic.threshold 1",
            v -> panic(v, Duration.ofSeconds(6), 1),
            "spec.autoscaling.panic.threshold: must be > 1, got 1"),
        accepted("panic.threshold 1.01", v -> panic(v, Duration.ofSeconds(6), 1.01)),
        refused(
            "panic.threshold infinite",
            v -> panic(v, Duration.ofSeconds(6), Double.POSITIVE_INFINITY),
            "spec.autoscaling.panic.threshold: must be a finite number, got Infinity"),
        // panic.window: operator > 0, autoscaler >= 1s
        refused(
            "panic.window 500ms",
            v -> panic(v, Duration.ofMillis(500), 2),
            "spec.autoscaling.panic.window: must be >= 1s and <= window (1m), got 500ms"),
        accepted("panic.window 1s", v -> panic(v, Duration.ofSeconds(1), 2)),
        accepted("panic.window = window", v -> panic(v, Duration.ofSeconds(60), 2)),
        refused(
            "panic.window > window",
            v -> panic(v, Duration.ofSeconds(61), 2),
            "spec.autoscaling.panic.window: must be >= 1s and <= window (1m), got 1m1s"),
        // window: operator <= 1h (and the tick), autoscaler >= 1s without an upper bound
        refused(
            "window 500ms",
            v -> with(v, "window", Duration.ofMillis(500)),
            "spec.autoscaling.window: must be >= 1s, got 500ms",
            "spec.autoscaling.panic.window: must be >= 1s and <= window (500ms), got 6s"),
        accepted("window 1h", v -> with(v, "window", Duration.ofHours(1))),
        refused(
            "window 2h",
            v -> with(v, "window", Duration.ofHours(2)),
            "spec.autoscaling.window: must be at most 1h, got 2h"),
        // stabilization periods: operator <= 1h, autoscaler >= 0 without an upper bound
        accepted("upscaleStabilizationPeriod 0", v -> with(v, "up", Duration.ZERO)),
        refused(
            "upscaleStabilizationPeriod -1s",
            v -> with(v, "up", Duration.ofSeconds(-1)),
            "spec.autoscaling.upscaleStabilizationPeriod: must be >= 0, got -1s"),
        refused(
            "downscaleStabilizationPeriod 5h",
            v -> with(v, "down", Duration.ofHours(5)),
            "spec.autoscaling.downscaleStabilizationPeriod: must be at most 1h, got 5h"),
        // replicas: operator at most 1000, autoscaler without an upper bound
        accepted("maxReplicas 1000", v -> replicas(v, 1, 1000, 1)),
        refused(
            "maxReplicas 1001",
            v -> replicas(v, 1, 1001, 1),
            "spec.autoscaling.maxReplicas: must be at most 1000, got 1001"),
        // infinities the operator took and the autoscaler refused
        refused(
            "maxUpscaleFactor infinite",
            v -> with(v, "maxUpscaleFactor", Double.POSITIVE_INFINITY),
            "spec.autoscaling.maxUpscaleFactor: must be a finite number, got Infinity"),
        refused(
            "upscaleTolerance infinite",
            v -> with(v, "upscaleTolerance", Double.POSITIVE_INFINITY),
            "spec.autoscaling.upscaleTolerance: must be a finite number, got Infinity"),
        refused(
            "targetInFlight infinite",
            v -> with(v, "targetInFlight", Double.POSITIVE_INFINITY),
            "spec.autoscaling.targetInFlight: must be a finite number, got Infinity"),
        // both agreed already; kept to pin the messages the operator's users see
        refused(
            "maxReplicas below minReplicas",
            v -> replicas(v, 3, 2, 3),
            "spec.autoscaling.maxReplicas: must be >= minReplicas (3), got 2",
            "spec.autoscaling.initReplicas: must be between minReplicas (3) and maxReplicas (2),"
                + " got 3"),
        refused(
            "maxDownscaleFactor 1",
            v -> with(v, "maxDownscaleFactor", 1.0),
            "spec.autoscaling.maxDownscaleFactor: must be in [0, 1), got 1"),
        refused(
            "targetInFlight NaN",
            v -> with(v, "targetInFlight", Double.NaN),
            "spec.autoscaling.targetInFlight: must be > 0, got NaN"),
        accepted("panic mode off", v -> withoutPanic(v)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesThatDisagreedBefore")
  void givesOneAnswer(String name, AutoscalingValues values, String[] expected) {
    assertThat(AutoscalingRules.check(values)).map(SpecProblem::toString).containsExactly(expected);
  }

  private static Arguments accepted(String name, UnaryOperator<AutoscalingValues> change) {
    return Arguments.of(name, change.apply(defaults()), new String[0]);
  }

  private static Arguments refused(
      String name, UnaryOperator<AutoscalingValues> change, String... problems) {
    return Arguments.of(name, change.apply(defaults()), problems);
  }

  static AutoscalingValues replicas(AutoscalingValues v, int min, int max, int init) {
    return new AutoscalingValues(
        min,
        max,
        init,
        v.targetInFlight(),
        v.window(),
        v.upscaleStabilizationPeriod(),
        v.downscaleStabilizationPeriod(),
        v.maxUpscaleFactor(),
        v.maxDownscaleFactor(),
        v.upscaleTolerance(),
        v.downscaleTolerance(),
        v.overprovisioning(),
        v.panic());
  }

  static AutoscalingValues panic(AutoscalingValues v, Duration window, double threshold) {
    return withPanic(v, Optional.of(new AutoscalingValues.Panic(window, threshold)));
  }

  static AutoscalingValues withoutPanic(AutoscalingValues v) {
    return withPanic(v, Optional.empty());
  }

  private static AutoscalingValues withPanic(
      AutoscalingValues v, Optional<AutoscalingValues.Panic> panic) {
    return new AutoscalingValues(
        v.minReplicas(),
        v.maxReplicas(),
        v.initReplicas(),
        v.targetInFlight(),
        v.window(),
        v.upscaleStabilizationPeriod(),
        v.downscaleStabilizationPeriod(),
        v.maxUpscaleFactor(),
        v.maxDownscaleFactor(),
        v.upscaleTolerance(),
        v.downscaleTolerance(),
        v.overprovisioning(),
        panic);
  }

  /** One field changed, by name: the table reads better than thirteen-argument constructors. */
  static AutoscalingValues with(AutoscalingValues v, String field, Object value) {
    return new AutoscalingValues(
        v.minReplicas(),
        v.maxReplicas(),
        v.initReplicas(),
        field.equals("targetInFlight") ? (double) value : v.targetInFlight(),
        field.equals("window") ? (Duration) value : v.window(),
        field.equals("up") ? (Duration) value : v.upscaleStabilizationPeriod(),
        field.equals("down") ? (Duration) value : v.downscaleStabilizationPeriod(),
        field.equals("maxUpscaleFactor") ? (double) value : v.maxUpscaleFactor(),
        field.equals("maxDownscaleFactor") ? (double) value : v.maxDownscaleFactor(),
        field.equals("upscaleTolerance") ? (double) value : v.upscaleTolerance(),
        v.downscaleTolerance(),
        field.equals("overprovisioning") ? (double) value : v.overprovisioning(),
        v.panic());
  }
}
