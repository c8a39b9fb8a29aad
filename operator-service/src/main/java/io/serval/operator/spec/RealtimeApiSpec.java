package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The spec of a {@link RealtimeApi}. model, predictor and compute make up a revision; traffic,
 * autoscaling and rollout apply in place.
 */
@JsonPropertyOrder({"model", "predictor", "compute", "traffic", "autoscaling", "rollout"})
public record RealtimeApiSpec(
    ModelSpec model,
    PredictorSpec predictor,
    ComputeSpec compute,
    TrafficSpec traffic,
    AutoscalingSpec autoscaling,
    RolloutSpec rollout) {

  public RealtimeApiSpec withRevisionSections(
      ModelSpec newModel, PredictorSpec newPredictor, ComputeSpec newCompute) {
    return new RealtimeApiSpec(newModel, newPredictor, newCompute, traffic, autoscaling, rollout);
  }
}
