package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** Resources per replica (Kubernetes quantities); mem null means no limit. */
@JsonPropertyOrder({"cpu", "mem", "gpu", "inf", "nodeGroups"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComputeSpec(
    @JsonPropertyDescription(
            "CPU per replica, a Kubernetes quantity of at least 20m (a request); default 200m.")
        String cpu,
    @JsonPropertyDescription(
            "Memory per replica, a Kubernetes quantity of at least 20Mi (request and limit);"
                + " default none.")
        String mem,
    @Min(0)
        @JsonPropertyDescription(
            "NVIDIA GPUs per replica (nvidia.com/gpu); > 0 selects the CUDA execution provider.")
        int gpu,
    @Min(0)
        @JsonPropertyDescription(
            "AWS Inferentia chips per replica (aws.amazon.com/neuron); not with gpu.")
        int inf,
    @JsonPropertyDescription(
            "Node groups the replicas may run on (node label serval.io/node-group by default),"
                + " preferred by the operator's node-group priorities, then by this order.")
        List<String> nodeGroups) {
  public ComputeSpec {
    nodeGroups = nodeGroups == null ? List.of() : List.copyOf(nodeGroups);
  }
}
