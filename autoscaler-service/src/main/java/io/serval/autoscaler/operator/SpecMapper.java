package io.serval.autoscaler.operator;

import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.PanicSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the operator's autoscaling spec. proto3 scalars cannot say "unset", so a zero is read as
 * the default only where zero is not a valid value (init_replicas: minReplicas; max_upscale_factor,
 * panic_threshold); unset durations take Serval's defaults. Everything else is taken as sent and
 * validated.
 */
public final class SpecMapper {

  private SpecMapper() {}

  /**
   * @throws io.serval.autoscaler.scaling.InvalidSpecException naming every bad field
   */
  public static AutoscalingSpec toSpec(io.serval.proto.control.AutoscalingSpec p) {
    AutoscalingSpec.Builder b =
        AutoscalingSpec.servalDefaults(p.getTargetInFlight())
            .minReplicas(p.getMinReplicas())
            .maxReplicas(p.getMaxReplicas())
            .maxDownscaleFactor(p.getMaxDownscaleFactor())
            .upscaleTolerance(p.getUpscaleTolerance())
            .downscaleTolerance(p.getDownscaleTolerance())
            .overprovisioning(p.getOverprovisioning());
    if (p.getInitReplicas() != 0) {
      b.initReplicas(p.getInitReplicas());
    }
    if (p.getMaxUpscaleFactor() != 0) {
      b.maxUpscaleFactor(p.getMaxUpscaleFactor());
    }
    if (p.hasWindow()) {
      b.window(duration(p.getWindow()));
    }
    if (p.hasUpscaleStabilizationPeriod()) {
      b.upscaleStabilizationPeriod(duration(p.getUpscaleStabilizationPeriod()));
    }
    if (p.hasDownscaleStabilizationPeriod()) {
      b.downscaleStabilizationPeriod(duration(p.getDownscaleStabilizationPeriod()));
    }
    PanicSpec defaults = PanicSpec.defaults();
    Duration panicWindow = p.hasPanicWindow() ? duration(p.getPanicWindow()) : defaults.window();
    double threshold = p.getPanicThreshold() != 0 ? p.getPanicThreshold() : defaults.threshold();
    b.panic(Optional.of(new PanicSpec(panicWindow, threshold)));
    return b.build();
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
