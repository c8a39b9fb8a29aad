package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** How each replica runs the model: executors, intra-op threads per executor, batching. */
@JsonPropertyOrder({"workers", "threadsPerWorker", "batching"})
public record PredictorSpec(int workers, int threadsPerWorker, BatchingSpec batching) {}
