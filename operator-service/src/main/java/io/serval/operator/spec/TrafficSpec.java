package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;

/** Limits the router enforces: per-replica concurrency, per-API queue, end-to-end timeout. */
@JsonPropertyOrder({"maxConcurrency", "maxQueueLength", "timeout"})
public record TrafficSpec(
    int maxConcurrency,
    int maxQueueLength,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration timeout) {}
