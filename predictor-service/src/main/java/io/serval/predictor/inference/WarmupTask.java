package io.serval.predictor.inference;

import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.TensorSpec;
import io.serval.v2.Datatype;
import io.serval.v2.RawTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic inputs for the warm-up run: zeros (empty strings) of the declared shapes, dynamic dims
 * = 1.
 */
final class WarmupTask {
  private WarmupTask() {}

  static InferenceTask of(ModelSignature sig) {
    List<RawTensor> inputs = new ArrayList<>();
    for (TensorSpec s : sig.inputs()) {
      long[] shape = s.shape().clone();
      long count = 1;
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] < 0) {
          shape[d] = 1;
        }
        count *= shape[d];
      }
      int bytes =
          (int) (s.datatype() == Datatype.BYTES ? 4 * count : s.datatype().byteSize() * count);
      ByteBuffer zeros = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      inputs.add(new RawTensor(s.name(), s.datatype(), shape, zeros));
    }
    int[] outputs = new int[sig.outputs().size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = i;
    }
    return new InferenceTask(inputs, outputs, 1);
  }
}
