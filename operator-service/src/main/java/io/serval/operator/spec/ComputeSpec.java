package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Resources per replica (Kubernetes quantities); mem null means no limit. */
@JsonPropertyOrder({"cpu", "mem", "gpu", "inf", "nodeGroups"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComputeSpec(String cpu, String mem, int gpu, int inf, List<String> nodeGroups) {
  public ComputeSpec {
    nodeGroups = nodeGroups == null ? List.of() : List.copyOf(nodeGroups);
  }
}
