package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How each replica runs the model: executors, intra-op threads per executor, batching, and the
 * sample request each replica warms up with (a V2 inference request body, inline; null: synthetic
 * inputs). Left out of the JSON when null, so that specs without it keep their revision ids.
 */
@JsonPropertyOrder({"workers", "threadsPerWorker", "batching", "warmup"})
public record PredictorSpec(
    int workers,
    int threadsPerWorker,
    BatchingSpec batching,
    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode warmup) {

  public PredictorSpec(int workers, int threadsPerWorker, BatchingSpec batching) {
    this(workers, threadsPerWorker, batching, null);
  }
}
