package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.serval.specrules.AutoscalingRules;
import io.serval.specrules.Durations;
import java.time.Duration;

/** Panic mode: scale up at once when load over the short window exceeds threshold x capacity. */
@JsonPropertyOrder({"window", "threshold"})
public record PanicSpec(
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Short window that detects bursts (at least 1s, at most autoscaling.window); default"
                + " 6s.")
        Duration window,
    @Min(value = AutoscalingRules.MIN_PANIC_THRESHOLD_EXCLUSIVE, inclusive = false)
        @JsonPropertyDescription(
            "Load over the panic window, as a multiple of current capacity, from which the"
                + " autoscaler scales up at once; default 2.")
        double threshold) {}
