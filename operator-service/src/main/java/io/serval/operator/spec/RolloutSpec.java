package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.serval.specrules.Durations;
import java.time.Duration;
import java.util.List;

/**
 * Rollout of a new revision: steps are the new revision's traffic percent, ending at 100; a
 * revision not ready within readyTimeout is rolled back, and so is a canary whose failure rate
 * during a step exceeds the old revision's by more than maxErrorRateIncrease percentage points once
 * its replicas answered at least minRequests requests of the step.
 */
@JsonPropertyOrder({
  "strategy",
  "steps",
  "stepInterval",
  "readyTimeout",
  "maxErrorRateIncrease",
  "minRequests"
})
public record RolloutSpec(
    @JsonPropertyDescription(
            "BlueGreen (the default): all traffic moves once the new revision is ready. Canary:"
                + " traffic moves step by step.")
        RolloutStrategy strategy,
    @JsonPropertyDescription(
            "Traffic percentage of the new revision at each step, increasing, ending with 100;"
                + " [100] for BlueGreen. Default [100], or [10, 50, 100] for Canary.")
        List<@Min(1) @Max(100) Integer> steps,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Time between Canary steps (> 0, at most 24h); default 30s.")
        Duration stepInterval,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "A new revision not ready within this (> 0, at most 24h) is rolled back; default 10m.")
        Duration readyTimeout,
    @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Percentage points by which a Canary revision's failure rate during a step may exceed"
                + " the previous revision's before it is rolled back; default 5.")
        Double maxErrorRateIncrease,
    @Min(1)
        @JsonPropertyDescription(
            "Answers of a step the new revision needs before its failure rate is judged; default"
                + " 20.")
        Integer minRequests) {
  public RolloutSpec {
    steps = List.copyOf(steps);
    // State written before these fields existed reads back as null.
    maxErrorRateIncrease =
        maxErrorRateIncrease == null ? SpecDefaults.MAX_ERROR_RATE_INCREASE : maxErrorRateIncrease;
    minRequests = minRequests == null ? SpecDefaults.MIN_REQUESTS : minRequests;
  }
}
