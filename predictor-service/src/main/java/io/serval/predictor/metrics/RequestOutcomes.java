package io.serval.predictor.metrics;

import io.serval.v2.V2Exception;

/** Counts and times finished inference requests, as each front end answered them. */
public interface RequestOutcomes {
  /**
   * One request was answered.
   *
   * @param failure what it failed with, or null when it succeeded
   * @param nanos from the front end receiving it to the answer being ready
   */
  void finished(Protocol protocol, V2Exception.Kind failure, long nanos);

  RequestOutcomes NONE = (protocol, failure, nanos) -> {};
}
