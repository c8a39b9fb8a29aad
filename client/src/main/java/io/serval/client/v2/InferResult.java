package io.serval.client.v2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A V2 inference answer: the outputs by name (in the router's order), the model name and version,
 * the request id, the revision that served it ({@code serval-revision}) and how many times the
 * request was sent (1 when it was not retried).
 */
public final class InferResult {

  private final String modelName;
  private final String modelVersion;
  private final String id;
  private final Map<String, Tensor> outputs;
  private final Optional<String> revision;
  private final int attempts;

  public InferResult(
      String modelName,
      String modelVersion,
      String id,
      Iterable<Tensor> outputs,
      Optional<String> revision,
      int attempts) {
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.id = id;
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (Tensor t : outputs) {
      byName.put(t.name(), t);
    }
    this.outputs = Collections.unmodifiableMap(byName);
    this.revision = revision;
    this.attempts = attempts;
  }

  /** The same answer, counted as reached on attempt {@code n}. */
  public InferResult withAttempts(int n) {
    return new InferResult(modelName, modelVersion, id, outputs.values(), revision, n);
  }

  /**
   * The output named {@code name}.
   *
   * @throws IllegalArgumentException naming the outputs there are when there is no such output
   */
  public Tensor output(String name) {
    Tensor t = outputs.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no output '" + name + "' in the answer (outputs: " + outputs.keySet() + ")");
    }
    return t;
  }

  public Map<String, Tensor> outputs() {
    return outputs;
  }

  public String modelName() {
    return modelName;
  }

  /** Empty when the router did not say. */
  public String modelVersion() {
    return modelVersion;
  }

  /** The request id echoed back; empty when none was sent. */
  public String id() {
    return id;
  }

  /** The revision that served the request ({@code api/revision}), when the router said. */
  public Optional<String> revision() {
    return revision;
  }

  /** How many times the request was sent: 1 when it was not retried. */
  public int attempts() {
    return attempts;
  }
}
