package io.serval.predictor.inference;

import io.serval.predictor.batching.BatchingPolicy;

/**
 * @param workers sessions, each run by its own thread
 * @param batching used as is for batchable models; models without a batch dimension run one request
 *     per call
 * @param warmup run one synthetic inference on every session before reporting ready
 */
public record EngineSettings(
    String modelName, int workers, BatchingPolicy batching, boolean warmup) {}
