package io.serval.predictor.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The inputs and outputs of the loaded model, in graph order.
 *
 * <p>A model is batchable when dimension 0 of every input and output is dynamic: only then can
 * requests be joined along it and the results split back.
 */
public final class ModelSignature {
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Map<String, Integer> inputIndex = new HashMap<>();
  private final Map<String, Integer> outputIndex = new HashMap<>();
  private final boolean batchable;

  public ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    for (int i = 0; i < inputs.size(); i++) {
      inputIndex.put(inputs.get(i).name(), i);
    }
    for (int i = 0; i < outputs.size(); i++) {
      outputIndex.put(outputs.get(i).name(), i);
    }
    this.batchable =
        !inputs.isEmpty()
            && inputs.stream().allMatch(TensorSpec::hasBatchDimension)
            && outputs.stream().allMatch(TensorSpec::hasBatchDimension);
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public boolean batchable() {
    return batchable;
  }

  /**
   * @return the input's position, or -1
   */
  public int inputIndex(String name) {
    Integer i = inputIndex.get(name);
    return i == null ? -1 : i;
  }

  /**
   * @return the output's position, or -1
   */
  public int outputIndex(String name) {
    Integer i = outputIndex.get(name);
    return i == null ? -1 : i;
  }

  public String inputNames() {
    return inputs.stream().map(TensorSpec::name).collect(Collectors.joining(", ", "[", "]"));
  }

  public String outputNames() {
    return outputs.stream().map(TensorSpec::name).collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return "inputs "
        + inputs
        + ", outputs "
        + outputs
        + (batchable ? ", batchable" : ", not batchable");
  }
}
