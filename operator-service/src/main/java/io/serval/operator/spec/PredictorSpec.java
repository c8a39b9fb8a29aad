package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How each replica runs the model: executors, intra-op threads per executor, batching, and the
 * sample request each replica warms up with (a V2 inference request body, inline; null: synthetic
 * inputs). Left out of the JSON when null, so that specs without it keep their revision ids.
 */
@JsonPropertyOrder({"workers", "threadsPerWorker", "batching", "warmup"})
public record PredictorSpec(
    @Min(1)
        @Max(SpecValidator.MAX_WORKERS)
        @JsonPropertyDescription(
            "ONNX Runtime sessions per replica (Cortex's processes_per_replica); default 1.")
        int workers,
    @Min(1)
        @Max(SpecValidator.MAX_THREADS_PER_WORKER)
        @JsonPropertyDescription(
            "Intra-op threads per session (Cortex's threads_per_process); default 1.")
        int threadsPerWorker,
    @JsonPropertyDescription("Dynamic batching of requests into one model run.")
        BatchingSpec batching,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonPropertyDescription(
            "A V2 inference request body (REST JSON form), at most 64 KiB, that each replica runs"
                + " once per session before it reports ready; default: synthetic inputs.")
        JsonNode warmup) {

  public PredictorSpec(int workers, int threadsPerWorker, BatchingSpec batching) {
    this(workers, threadsPerWorker, batching, null);
  }
}
