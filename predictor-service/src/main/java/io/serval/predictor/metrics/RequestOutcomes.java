package io.serval.predictor.metrics;

import io.serval.v2.V2Exception;

/** Counts finished inference requests by outcome. */
public interface RequestOutcomes {
  void success();

  void failure(V2Exception.Kind kind);

  RequestOutcomes NONE =
      new RequestOutcomes() {
        @Override
        public void success() {}

        @Override
        public void failure(V2Exception.Kind kind) {}
      };
}
