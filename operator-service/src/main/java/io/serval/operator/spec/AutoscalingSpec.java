package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;

/** Cortex's autoscaling fields, plus overprovisioning and panic mode. */
@JsonPropertyOrder({
  "minReplicas",
  "maxReplicas",
  "initReplicas",
  "targetInFlight",
  "window",
  "upscaleStabilizationPeriod",
  "downscaleStabilizationPeriod",
  "maxUpscaleFactor",
  "maxDownscaleFactor",
  "upscaleTolerance",
  "downscaleTolerance",
  "overprovisioning",
  "panic"
})
public record AutoscalingSpec(
    int minReplicas,
    int maxReplicas,
    int initReplicas,
    double targetInFlight,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration window,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration upscaleStabilizationPeriod,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration downscaleStabilizationPeriod,
    double maxUpscaleFactor,
    double maxDownscaleFactor,
    double upscaleTolerance,
    double downscaleTolerance,
    double overprovisioning,
    PanicSpec panic) {

  public int clamp(int replicas) {
    return Math.max(minReplicas, Math.min(maxReplicas, replicas));
  }
}
