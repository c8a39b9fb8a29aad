package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.serval.specrules.AutoscalingRules;
import io.serval.specrules.Durations;
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
    @Min(0)
        @Max(AutoscalingRules.MAX_REPLICAS)
        @JsonPropertyDescription(
            "Fewest replicas; 0 scales to zero (the first request wakes the API). Default 1.")
        int minReplicas,
    @Min(1)
        @Max(AutoscalingRules.MAX_REPLICAS)
        @JsonPropertyDescription("Most replicas, at least minReplicas; default 100.")
        int maxReplicas,
    @Min(0)
        @Max(AutoscalingRules.MAX_REPLICAS)
        @JsonPropertyDescription(
            "Replicas a new API starts with, between minReplicas and maxReplicas; default"
                + " minReplicas.")
        int initReplicas,
    @Min(value = 0, inclusive = false)
        @JsonPropertyDescription(
            "In-flight requests (queued and executing) per replica the autoscaler aims at; default"
                + " traffic.maxConcurrency.")
        double targetInFlight,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Averaging window of in-flight samples, a multiple of the autoscaler tick, at most 1h;"
                + " default 60s.")
        Duration window,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Scale up only to the lowest recommendation of this period (0..1h); default 1m.")
        Duration upscaleStabilizationPeriod,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Scale down only to the highest recommendation of this period (0..1h); default 5m.")
        Duration downscaleStabilizationPeriod,
    @Min(value = AutoscalingRules.MIN_UPSCALE_FACTOR_EXCLUSIVE, inclusive = false)
        @JsonPropertyDescription(
            "At most this many times the current replicas per decision (> 1); default 1.5.")
        double maxUpscaleFactor,
    @Min(0)
        @Max(value = AutoscalingRules.FRACTION_LIMIT_EXCLUSIVE, inclusive = false)
        @JsonPropertyDescription(
            "At least this fraction of the current replicas per decision, in [0, 1); default"
                + " 0.75.")
        double maxDownscaleFactor,
    @Min(0)
        @JsonPropertyDescription(
            "Ignore a recommendation less than this fraction above the current replicas; default"
                + " 0.05.")
        double upscaleTolerance,
    @Min(0)
        @Max(value = AutoscalingRules.FRACTION_LIMIT_EXCLUSIVE, inclusive = false)
        @JsonPropertyDescription(
            "Ignore a recommendation less than this fraction below the current replicas, in [0,"
                + " 1); default 0.05.")
        double downscaleTolerance,
    @Min(0)
        @Max(value = AutoscalingRules.FRACTION_LIMIT_EXCLUSIVE, inclusive = false)
        @JsonPropertyDescription(
            "Spare capacity, in [0, 1): 0.25 keeps 25% more replicas than the load needs. Default"
                + " 0.")
        double overprovisioning,
    @JsonPropertyDescription("Panic mode: scale up at once on a burst.") PanicSpec panic) {

  public int clamp(int replicas) {
    return Math.max(minReplicas, Math.min(maxReplicas, replicas));
  }
}
