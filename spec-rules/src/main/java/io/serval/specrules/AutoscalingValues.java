package io.serval.specrules;

import java.time.Duration;
import java.util.Optional;

/**
 * The fields of {@code spec.autoscaling} after defaults, as {@link AutoscalingRules} checks them.
 * The operator (from the spec it parsed) and the autoscaler (from the spec it was sent) each map
 * their own record to this one, so that both are judged by the same rules.
 *
 * @param panic empty where panic mode is off (the autoscaler's Cortex defaults); the operator
 *     always sends one
 */
public record AutoscalingValues(
    int minReplicas,
    int maxReplicas,
    int initReplicas,
    double targetInFlight,
    Duration window,
    Duration upscaleStabilizationPeriod,
    Duration downscaleStabilizationPeriod,
    double maxUpscaleFactor,
    double maxDownscaleFactor,
    double upscaleTolerance,
    double downscaleTolerance,
    double overprovisioning,
    Optional<Panic> panic) {

  /** {@code spec.autoscaling.panic}. */
  public record Panic(Duration window, double threshold) {}
}
