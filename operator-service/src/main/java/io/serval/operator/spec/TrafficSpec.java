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

/** Limits the router enforces: per-replica concurrency, per-API queue, end-to-end timeout. */
@JsonPropertyOrder({"maxConcurrency", "maxQueueLength", "timeout"})
public record TrafficSpec(
    @Min(1)
        @Max(SpecValidator.MAX_TRAFFIC_LIMIT)
        @JsonPropertyDescription("Requests the router sends to one replica at a time; default 1.")
        int maxConcurrency,
    @Min(1)
        @Max(SpecValidator.MAX_TRAFFIC_LIMIT)
        @JsonPropertyDescription(
            "Requests a router queues for the API while every replica is busy; past it 503 with"
                + " Retry-After. Default 100.")
        int maxQueueLength,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "End-to-end deadline of a request, queueing included (> 0, at most 1h); past it 504."
                + " Default 30s.")
        Duration timeout) {}
