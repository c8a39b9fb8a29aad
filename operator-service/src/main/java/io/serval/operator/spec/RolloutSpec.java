package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
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
    RolloutStrategy strategy,
    List<Integer> steps,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration stepInterval,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration readyTimeout,
    Double maxErrorRateIncrease,
    Integer minRequests) {
  public RolloutSpec {
    steps = List.copyOf(steps);
    // State written before these fields existed reads back as null.
    maxErrorRateIncrease =
        maxErrorRateIncrease == null ? SpecDefaults.MAX_ERROR_RATE_INCREASE : maxErrorRateIncrease;
    minRequests = minRequests == null ? SpecDefaults.MIN_REQUESTS : minRequests;
  }
}
