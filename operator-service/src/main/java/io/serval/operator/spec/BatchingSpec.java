package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;

/** Dynamic batching in the predictor; maxBatchSize 1 turns batching off. */
@JsonPropertyOrder({"maxBatchSize", "maxQueueDelay", "maxQueueSize"})
public record BatchingSpec(
    int maxBatchSize,
    @JsonSerialize(using = DurationText.Serializer.class)
        @JsonDeserialize(using = DurationText.Deserializer.class)
        Duration maxQueueDelay,
    int maxQueueSize) {}
