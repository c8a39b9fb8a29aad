package io.serval.autoscaler.api;

import io.serval.autoscaler.aggregation.InFlightAverage;
import io.serval.autoscaler.control.ApiEntry;
import io.serval.autoscaler.control.Delivery;
import io.serval.autoscaler.scaling.AutoscalingSpec;
import io.serval.autoscaler.scaling.ScalingDecision;
import io.serval.autoscaler.scaling.ScalingInput;
import io.serval.autoscaler.scaling.ScalingStep;
import java.time.Instant;
import java.util.List;

/**
 * The JSON explanation of an API's last decision: its inputs, the raw recommendation, every rule
 * that changed it, the result and where its delivery stands.
 */
public record DecisionView(
    String api,
    Instant decidedAt,
    Inputs inputs,
    Double rawRecommendation,
    List<ScalingStep> steps,
    Integer desiredReplicas,
    boolean panic,
    String summary,
    Delivery delivery,
    String specError) {

  /** What the decision looked at. */
  public record Inputs(
      int currentReplicas,
      int readyReplicas,
      Window window,
      Window panicWindow,
      Instant lastActiveAt,
      boolean wokenUp,
      double asyncBacklog,
      Spec spec) {}

  /**
   * An in-flight average; {@code averageInFlight} is null when no router reported.
   *
   * @param length ISO-8601 duration of the window
   */
  public record Window(String length, Double averageInFlight, int seconds, int routers) {}

  /** The spec as the policy read it (durations in ISO-8601). */
  public record Spec(
      int minReplicas,
      int maxReplicas,
      double targetInFlight,
      String window,
      String upscaleStabilizationPeriod,
      String downscaleStabilizationPeriod,
      double maxUpscaleFactor,
      double maxDownscaleFactor,
      double upscaleTolerance,
      double downscaleTolerance,
      double overprovisioning,
      String panicWindow,
      Double panicThreshold) {}

  static DecisionView of(ApiEntry e) {
    Delivery delivery = e.delivery().orElse(null);
    String error = e.specError().orElse(null);
    if (e.lastDecision().isEmpty()) {
      return new DecisionView(
          e.name(), null, null, null, List.of(), null, false, null, delivery, error);
    }
    ScalingDecision d = e.lastDecision().get();
    ScalingInput in = d.input();
    AutoscalingSpec s = in.spec();
    Inputs inputs =
        new Inputs(
            in.currentReplicas(),
            in.readyReplicas(),
            window(s.window().toString(), in.window().orElse(null)),
            s.panic().map(p -> window(p.window().toString(), in.panic().orElse(null))).orElse(null),
            in.lastActiveAt().orElse(null),
            d.wokenUp(),
            in.asyncBacklog(),
            new Spec(
                s.minReplicas(),
                s.maxReplicas(),
                s.targetInFlight(),
                s.window().toString(),
                s.upscaleStabilizationPeriod().toString(),
                s.downscaleStabilizationPeriod().toString(),
                s.maxUpscaleFactor(),
                s.maxDownscaleFactor(),
                s.upscaleTolerance(),
                s.downscaleTolerance(),
                s.overprovisioning(),
                s.panic().map(p -> p.window().toString()).orElse(null),
                s.panic().map(p -> p.threshold()).orElse(null)));
    return new DecisionView(
        e.name(),
        d.at(),
        inputs,
        d.rawRecommendation().isPresent() ? d.rawRecommendation().getAsDouble() : null,
        d.steps(),
        d.desiredReplicas(),
        d.panic(),
        d.summary(),
        delivery,
        error);
  }

  private static Window window(String length, InFlightAverage avg) {
    return avg == null
        ? new Window(length, null, 0, 0)
        : new Window(length, avg.value(), avg.seconds(), avg.routers());
  }
}
