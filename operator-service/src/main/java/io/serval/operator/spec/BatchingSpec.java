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

/** Dynamic batching in the predictor; maxBatchSize 1 turns batching off. */
@JsonPropertyOrder({"maxBatchSize", "maxQueueDelay", "maxQueueSize"})
public record BatchingSpec(
    @Min(1)
        @Max(SpecValidator.MAX_BATCH_SIZE)
        @JsonPropertyDescription("Rows joined into one batch; 1 (the default) turns batching off.")
        int maxBatchSize,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription(
            "Longest a request waits for a batch to fill (> 0, at most 10s); default 2ms.")
        Duration maxQueueDelay,
    @Min(1)
        @Max(SpecValidator.MAX_QUEUE_SIZE)
        @JsonPropertyDescription(
            "Requests queued in a replica; past it the replica refuses at once. Default 256.")
        int maxQueueSize) {}
