package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;

/**
 * The spec of a {@link RealtimeApi}. model, predictor and compute make up a revision; traffic,
 * autoscaling, rollout and async apply in place.
 */
@JsonPropertyOrder({"model", "predictor", "compute", "traffic", "autoscaling", "rollout", "async"})
public record RealtimeApiSpec(
    @Required @JsonPropertyDescription("The ONNX model. A change makes a new revision.")
        ModelSpec model,
    @JsonPropertyDescription(
            "How each replica serves the model (Cortex's predictor). A change makes a new revision.")
        PredictorSpec predictor,
    @JsonPropertyDescription(
            "Resources per replica and the nodes replicas may run on. A change makes a new"
                + " revision.")
        ComputeSpec compute,
    @JsonPropertyDescription("How routers send requests to the API's replicas. Applied in place.")
        TrafficSpec traffic,
    @JsonPropertyDescription(
            "Replica bounds and how the autoscaler follows load. Applied in place.")
        AutoscalingSpec autoscaling,
    @JsonPropertyDescription(
            "How a new revision takes over traffic. Applied in place; used by the next new"
                + " revision.")
        RolloutSpec rollout,
    @JsonPropertyDescription(
            "Async requests (Prefer: respond-async): how long results are kept. Applied in place.")
        AsyncSpec async) {

  public RealtimeApiSpec {
    // State written before the section existed has none: it means the defaults.
    async = async == null ? AsyncSpec.defaults() : async;
  }

  public RealtimeApiSpec withRevisionSections(
      ModelSpec newModel, PredictorSpec newPredictor, ComputeSpec newCompute) {
    return new RealtimeApiSpec(
        newModel, newPredictor, newCompute, traffic, autoscaling, rollout, async);
  }
}
