package io.serval.predictor.inference;

import io.serval.predictor.batching.BatchingPolicy;
import java.util.Optional;

/**
 * @param workers sessions, each run by its own thread
 * @param batching used as is for batchable models; models without a batch dimension run one request
 *     per call
 * @param warmup run one inference on every session before reporting ready
 * @param warmupRequest the sample to warm up with: a V2 inference request body (JSON); without it,
 *     synthetic inputs (see {@link WarmupTask#synthetic})
 */
public record EngineSettings(
    String modelName,
    int workers,
    BatchingPolicy batching,
    boolean warmup,
    Optional<byte[]> warmupRequest) {

  /** Warm-up (when on) with synthetic inputs. */
  public EngineSettings(String modelName, int workers, BatchingPolicy batching, boolean warmup) {
    this(modelName, workers, batching, warmup, Optional.empty());
  }
}
