package io.serval.autoscaler.scaling;

import io.serval.specrules.AutoscalingRules;
import io.serval.specrules.AutoscalingValues;
import io.serval.specrules.SpecProblem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The autoscaling part of an API spec, validated. Field meanings and defaults follow Cortex
 * (reference/cortex.md); {@code overprovisioning} and {@code panic} are Serval's additions.
 *
 * @param overprovisioning spare capacity kept above the load, as a fraction of the load: 0.25 asks
 *     for replicas able to carry 1.25 x the in-flight average (Cortex's {@code target_in_flight:
 *     1.6} example for a capacity of 2)
 * @param panic empty to disable panic mode (Cortex's behaviour)
 */
public record AutoscalingSpec(
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
    Optional<PanicSpec> panic) {

  public AutoscalingSpec {
    List<String> problems =
        problems(
            minReplicas,
            maxReplicas,
            initReplicas,
            targetInFlight,
            window,
            upscaleStabilizationPeriod,
            downscaleStabilizationPeriod,
            maxUpscaleFactor,
            maxDownscaleFactor,
            upscaleTolerance,
            downscaleTolerance,
            overprovisioning,
            panic);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }

  /**
   * The operator's own rules ({@link AutoscalingRules}): a spec it accepted is never refused here,
   * and one built here (simulator, tests) is held to the same bounds.
   */
  private static List<String> problems(
      int min,
      int max,
      int init,
      double target,
      Duration window,
      Duration upP,
      Duration downP,
      double maxUp,
      double maxDown,
      double upTol,
      double downTol,
      double overprovisioning,
      Optional<PanicSpec> panic) {
    AutoscalingValues values =
        new AutoscalingValues(
            min,
            max,
            init,
            target,
            window,
            upP,
            downP,
            maxUp,
            maxDown,
            upTol,
            downTol,
            overprovisioning,
            panic == null
                ? null
                : panic.map(p -> new AutoscalingValues.Panic(p.window(), p.threshold())));
    return AutoscalingRules.check(values).stream().map(SpecProblem::toString).toList();
  }

  /** Cortex's defaults (no overprovisioning, no panic) for a given target. */
  public static Builder cortexDefaults(double targetInFlight) {
    return new Builder(targetInFlight).panic(Optional.empty());
  }

  /** Serval's defaults: Cortex's, plus panic mode with Knative's window and threshold. */
  public static Builder servalDefaults(double targetInFlight) {
    return new Builder(targetInFlight);
  }

  public Builder toBuilder() {
    return new Builder(targetInFlight)
        .minReplicas(minReplicas)
        .maxReplicas(maxReplicas)
        .initReplicas(initReplicas)
        .window(window)
        .upscaleStabilizationPeriod(upscaleStabilizationPeriod)
        .downscaleStabilizationPeriod(downscaleStabilizationPeriod)
        .maxUpscaleFactor(maxUpscaleFactor)
        .maxDownscaleFactor(maxDownscaleFactor)
        .upscaleTolerance(upscaleTolerance)
        .downscaleTolerance(downscaleTolerance)
        .overprovisioning(overprovisioning)
        .panic(panic);
  }

  /** Fluent construction for tests, the simulator and the proto mapping. */
  public static final class Builder {
    private int minReplicas = 1;
    private int maxReplicas = 100;
    private Integer initReplicas;
    private double targetInFlight;
    private Duration window = Duration.ofSeconds(60);
    private Duration upscaleStabilizationPeriod = Duration.ofMinutes(1);
    private Duration downscaleStabilizationPeriod = Duration.ofMinutes(5);
    private double maxUpscaleFactor = 1.5;
    private double maxDownscaleFactor = 0.75;
    private double upscaleTolerance = 0.05;
    private double downscaleTolerance = 0.05;
    private double overprovisioning = 0.0;
    private Optional<PanicSpec> panic = Optional.of(PanicSpec.defaults());

    private Builder(double targetInFlight) {
      this.targetInFlight = targetInFlight;
    }

    public Builder minReplicas(int v) {
      minReplicas = v;
      return this;
    }

    public Builder maxReplicas(int v) {
      maxReplicas = v;
      return this;
    }

    public Builder initReplicas(int v) {
      initReplicas = v;
      return this;
    }

    public Builder targetInFlight(double v) {
      targetInFlight = v;
      return this;
    }

    public Builder window(Duration v) {
      window = v;
      return this;
    }

    public Builder upscaleStabilizationPeriod(Duration v) {
      upscaleStabilizationPeriod = v;
      return this;
    }

    public Builder downscaleStabilizationPeriod(Duration v) {
      downscaleStabilizationPeriod = v;
      return this;
    }

    public Builder maxUpscaleFactor(double v) {
      maxUpscaleFactor = v;
      return this;
    }

    public Builder maxDownscaleFactor(double v) {
      maxDownscaleFactor = v;
      return this;
    }

    public Builder upscaleTolerance(double v) {
      upscaleTolerance = v;
      return this;
    }

    public Builder downscaleTolerance(double v) {
      downscaleTolerance = v;
      return this;
    }

    public Builder overprovisioning(double v) {
      overprovisioning = v;
      return this;
    }

    public Builder panic(Optional<PanicSpec> v) {
      panic = v;
      return this;
    }

    public Builder panic(Duration window, double threshold) {
      panic = Optional.of(new PanicSpec(window, threshold));
      return this;
    }

    public AutoscalingSpec build() {
      int init = initReplicas != null ? initReplicas : minReplicas;
      return new AutoscalingSpec(
          minReplicas,
          maxReplicas,
          init,
          targetInFlight,
          window,
          upscaleStabilizationPeriod,
          downscaleStabilizationPeriod,
          maxUpscaleFactor,
          maxDownscaleFactor,
          upscaleTolerance,
          downscaleTolerance,
          overprovisioning,
          panic);
    }
  }
}
