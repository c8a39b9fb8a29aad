package io.serval.predictor.inference;

import io.serval.v2.RawTensor;
import java.util.List;

/**
 * A validated request, ready to run.
 *
 * @param inputs one per model input, in the model's input order
 * @param outputs indices into the model's outputs, in the order the response lists them
 * @param rows dimension 0 of the inputs (1 for models without a batch dimension)
 */
public record InferenceTask(List<RawTensor> inputs, int[] outputs, int rows) {}
