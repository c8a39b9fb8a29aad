package io.serval.client.v2;

import java.util.List;

/**
 * A V2 inference request.
 *
 * @param inputs the input tensors
 * @param outputs the outputs wanted by name; empty for all
 * @param id an id the router echoes back; empty for none
 */
public record InferRequest(List<Tensor> inputs, List<String> outputs, String id) {

  public InferRequest {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("an inference request needs at least one input");
    }
    inputs = List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    id = id == null ? "" : id;
  }

  /** All outputs, no id. */
  public static InferRequest of(List<Tensor> inputs) {
    return new InferRequest(inputs, List.of(), "");
  }
}
