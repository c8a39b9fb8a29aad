package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.List;

/**
 * Rollout of a new revision: steps are the new revision's traffic percent, ending at 100; a
 * revision not ready within readyTimeout is rolled back.
 */
@JsonPropertyOrder({"strategy", "steps", "stepInterval", "readyTimeout"})
public record RolloutSpec(
    RolloutStrategy strategy,
    List<Integer> steps,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration stepInterval,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration readyTimeout) {
  public RolloutSpec {
    steps = List.copyOf(steps);
  }
}
