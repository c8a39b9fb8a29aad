package io.serval.predictor.inference;

import ai.onnxruntime.OrtException;
import io.serval.v2.V2Exception;

/**
 * Whose fault a failed model run is. ONNX Runtime reports an input the model refuses (a token id
 * outside the vocabulary, a rank or dimension the graph does not accept) as {@code
 * ORT_INVALID_ARGUMENT}: that is the client's error, a 400 / INVALID_ARGUMENT with ONNX Runtime's
 * own message. Every other failure is the server's (500 / INTERNAL).
 */
final class ModelFailures {
  private ModelFailures() {}

  static V2Exception classify(String modelName, Throwable t) {
    if (t instanceof V2Exception v) {
      return v;
    }
    if (isRefusedInput(t)) {
      return V2Exception.invalid("model '" + modelName + "' refused the input: " + t.getMessage());
    }
    return V2Exception.internal("model '" + modelName + "' failed: " + t.getMessage(), t);
  }

  /** True for ONNX Runtime's input-validation errors only. */
  static boolean isRefusedInput(Throwable t) {
    return t instanceof OrtException e
        && e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT;
  }
}
