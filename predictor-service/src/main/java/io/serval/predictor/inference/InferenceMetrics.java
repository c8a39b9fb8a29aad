package io.serval.predictor.inference;

/** What the engine reports about its work; the metrics package binds it to Micrometer. */
public interface InferenceMetrics {
  /** One request left the queue after waiting this long. */
  void queued(long nanos);

  /** One batch ran. */
  void batch(int requests, int rows, long computeNanos);

  /**
   * One batch ran successfully, with the time of each phase of its run: building the input tensors,
   * the model's execution, reading the outputs back.
   */
  default void executed(
      int requests, int rows, long inputNanos, long inferNanos, long outputNanos) {}

  /** The warm-up ran (or was skipped) before the model became ready. */
  default void warmup(WarmupResult result) {}

  InferenceMetrics NONE =
      new InferenceMetrics() {
        @Override
        public void queued(long nanos) {}

        @Override
        public void batch(int requests, int rows, long computeNanos) {}
      };
}
