package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;

/** Panic mode: scale up at once when load over the short window exceeds threshold x capacity. */
@JsonPropertyOrder({"window", "threshold"})
public record PanicSpec(
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration window,
    double threshold) {}
