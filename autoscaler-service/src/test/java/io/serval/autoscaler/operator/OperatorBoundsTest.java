package io.serval.autoscaler.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.InvalidSpecException;
import io.serval.proto.control.AutoscalingSpec.Builder;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The autoscaler answers as the operator does (both apply AutoscalingRules): a spec at the edge of
 * what the operator accepts is scaled here, and the values the autoscaler used to take although the
 * operator refused them (or refused although the operator took them) now get the operator's answer.
 */
class OperatorBoundsTest {

  static Stream<Arguments> acceptedByTheOperator() {
    return Stream.of(
        Arguments.of("overprovisioning 0.99", op(b -> b.setOverprovisioning(0.99))),
        Arguments.of("panic.threshold 1.01", op(b -> b.setPanicThreshold(1.01))),
        Arguments.of("panic.window 1s", op(b -> b.setPanicWindow(seconds(1)))),
        Arguments.of("panic.window = window", op(b -> b.setPanicWindow(seconds(60)))),
        Arguments.of(
            "window 1h", op(b -> b.setWindow(seconds(3600)).setPanicWindow(seconds(3600)))),
        Arguments.of(
            "stabilization 0 and 1h",
            op(
                b ->
                    b.setUpscaleStabilizationPeriod(seconds(0))
                        .setDownscaleStabilizationPeriod(seconds(3600)))),
        Arguments.of(
            "1000 replicas",
            op(b -> b.setMinReplicas(1000).setMaxReplicas(1000).setInitReplicas(1000))),
        Arguments.of("scale to zero", op(b -> b.setMinReplicas(0))),
        Arguments.of(
            "factors and tolerances at their edges",
            op(
                b ->
                    b.setMaxUpscaleFactor(1.01)
                        .setMaxDownscaleFactor(0)
                        .setUpscaleTolerance(0)
                        .setDownscaleTolerance(0.99))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedByTheOperator")
  void scalesWhatTheOperatorAccepts(String name, io.serval.proto.control.AutoscalingSpec sent) {
    AutoscalingSpec spec = SpecMapper.toSpec(sent);
    assertThat(spec.targetInFlight()).isEqualTo(8);
  }

  static Stream<Arguments> refusedByTheOperator() {
    return Stream.of(
        // the autoscaler took overprovisioning up to 10
        Arguments.of(
            op(b -> b.setOverprovisioning(1)),
            "spec.autoscaling.overprovisioning: must be in [0, 1), got 1"),
        Arguments.of(
            op(b -> b.setOverprovisioning(10)),
            "spec.autoscaling.overprovisioning: must be in [0, 1), got 10"),
        // the autoscaler took a panic threshold of 1
        Arguments.of(
            op(b -> b.setPanicThreshold(1)),
            "spec.autoscaling.panic.threshold: must be > 1, got 1"),
        // the autoscaler had no upper bounds
        Arguments.of(
            op(b -> b.setWindow(seconds(7200))),
            "spec.autoscaling.window: must be at most 1h, got 2h"),
        Arguments.of(
            op(b -> b.setDownscaleStabilizationPeriod(seconds(5 * 3600))),
            "spec.autoscaling.downscaleStabilizationPeriod: must be at most 1h, got 5h"),
        Arguments.of(
            op(b -> b.setMaxReplicas(1001)),
            "spec.autoscaling.maxReplicas: must be at most 1000, got 1001"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusedByTheOperator")
  void refusesWithTheOperatorsMessage(
      io.serval.proto.control.AutoscalingSpec sent, String problem) {
    assertThatThrownBy(() -> SpecMapper.toSpec(sent))
        .isInstanceOfSatisfying(
            InvalidSpecException.class, e -> assertThat(e.problems()).containsExactly(problem));
  }

  /** What the operator sends for Serval's defaults, target 8, then one change. */
  private static io.serval.proto.control.AutoscalingSpec op(UnaryOperator<Builder> change) {
    Builder b =
        io.serval.proto.control.AutoscalingSpec.newBuilder()
            .setMinReplicas(1)
            .setMaxReplicas(100)
            .setInitReplicas(1)
            .setTargetInFlight(8)
            .setWindow(seconds(60))
            .setUpscaleStabilizationPeriod(seconds(60))
            .setDownscaleStabilizationPeriod(seconds(300))
            .setMaxUpscaleFactor(1.5)
            .setMaxDownscaleFactor(0.75)
            .setUpscaleTolerance(0.05)
            .setDownscaleTolerance(0.05)
            .setPanicWindow(seconds(6))
            .setPanicThreshold(2);
    return change.apply(b).build();
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }
}
