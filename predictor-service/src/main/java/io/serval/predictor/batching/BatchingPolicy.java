package io.serval.predictor.batching;

import java.time.Duration;

/**
 * How the {@link DynamicBatcher} groups requests.
 *
 * @param maxBatchSize rows (sum of dimension 0) a batch may hold; 1 turns batching off
 * @param maxQueueDelay how long the oldest request of an incomplete batch may wait for company
 * @param maxQueueSize requests that may wait (not yet taken by a worker) before new ones are
 *     refused
 */
public record BatchingPolicy(int maxBatchSize, Duration maxQueueDelay, int maxQueueSize) {
  public BatchingPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
    }
    if (maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("maxQueueDelay must be >= 0, was " + maxQueueDelay);
    }
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be >= 1, was " + maxQueueSize);
    }
  }
}
