package io.serval.operator.state;

import io.serval.operator.spec.ComputeSpec;
import io.serval.operator.spec.ModelSpec;
import io.serval.operator.spec.PredictorSpec;
import io.serval.operator.spec.RealtimeApiSpec;
import java.time.Instant;

/** One revision of an API: the sections replicas are built from, kept for rollback. */
public record RevisionRecord(
    String id, ModelSpec model, PredictorSpec predictor, ComputeSpec compute, Instant createdAt) {

  public static RevisionRecord of(String id, RealtimeApiSpec spec, Instant now) {
    return new RevisionRecord(id, spec.model(), spec.predictor(), spec.compute(), now);
  }
}
