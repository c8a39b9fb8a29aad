package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Pattern;
import io.serval.specrules.AsyncRules;
import io.serval.specrules.Durations;
import java.time.Duration;

/** Async requests to the API (issue 14): how long their results are kept. */
@JsonPropertyOrder({"resultTtl"})
public record AsyncSpec(
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "How long the result of an async request is kept after it finished (1m to 720h);"
                + " then its id answers 404. Applies to results written after a change."
                + " Default 24h.")
        Duration resultTtl) {

  /** The section as a spec without one gets it. */
  public static AsyncSpec defaults() {
    return new AsyncSpec(AsyncRules.DEFAULT_RESULT_TTL);
  }
}
