package io.serval.predictor.metrics;

import io.serval.v2.V2Exception;

/** Counts finished inference requests by outcome. */
public interface RequestOutcomes {
  void success();

  void failure(V2Exception.Kind kind);

  /** A request was answered {@code elapsedNanos} after it arrived. */
  default void success(long elapsedNanos) {
    success();
  }

  /** A request failed {@code elapsedNanos} after it arrived. */
  default void failure(V2Exception.Kind kind, long elapsedNanos) {
    failure(kind);
  }

  RequestOutcomes NONE =
      new RequestOutcomes() {
        @Override
        public void success() {}

        @Override
        public void failure(V2Exception.Kind kind) {}
      };
}
