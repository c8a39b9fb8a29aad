package io.serval.predictor.inference;

import io.serval.predictor.model.ModelSignature;
import io.serval.predictor.model.TensorSpec;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.v2.Datatype;
import io.serval.v2.InferRequestReader;
import io.serval.v2.RawTensor;
import io.serval.v2.RestInferRequestDecoder;
import io.serval.v2.V2Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The input of the warm-up run: the user's sample request ({@code spec.predictor.warmup}), or
 * synthetic inputs of the declared shapes (dynamic dims = 1).
 *
 * <p>Synthetic inputs are ones ("1" for strings), not zeros: ONNX Runtime runs an integer Div or
 * Mod by zero as a CPU division that raises SIGFPE and kills the whole process, and INT_MIN / -1
 * traps the same way, while x / 1 and x % 1 cannot trap. A "1" also parses as a number for a Cast
 * from STRING, where an empty string fails. Inputs that still do not suit a model (a MaxUnpool's
 * output shape, say) make the warm-up fail, which the engine reports as a warning.
 */
final class WarmupTask {
  private WarmupTask() {}

  /** Ones of the declared shapes, dynamic dims = 1; every output requested. */
  static InferenceTask synthetic(ModelSignature sig) {
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
      inputs.add(new RawTensor(s.name(), s.datatype(), shape, ones(s.datatype(), (int) count)));
    }
    int[] outputs = new int[sig.outputs().size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = i;
    }
    return new InferenceTask(inputs, outputs, 1);
  }

  /**
   * The user's sample: a V2 inference request body (JSON, the REST form), checked against the model
   * like any request.
   *
   * @throws V2Exception INVALID_ARGUMENT when it is not a valid request for this model
   */
  static InferenceTask fromRequest(byte[] json, String modelName, RequestPreparer preparer) {
    ModelInferRequest req =
        RestInferRequestDecoder.decode(modelName, "", json, OptionalInt.empty());
    List<String> requested = new ArrayList<>();
    for (ModelInferRequest.InferRequestedOutputTensor o : req.getOutputsList()) {
      requested.add(o.getName());
    }
    return preparer.prepare(InferRequestReader.inputs(req), requested).task();
  }

  /** {@code count} elements of value one in the V2 binary layout of {@code type}. */
  static ByteBuffer ones(Datatype type, int count) {
    if (type == Datatype.BYTES) {
      ByteBuffer b = ByteBuffer.allocate(5 * count).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        b.putInt(1).put((byte) '1');
      }
      return b.flip();
    }
    ByteBuffer b = ByteBuffer.allocate(type.byteSize() * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case BOOL, UINT8, INT8 -> b.put((byte) 1);
        case UINT16, INT16 -> b.putShort((short) 1);
        case UINT32, INT32 -> b.putInt(1);
        case UINT64, INT64 -> b.putLong(1);
        case FP16 -> b.putShort((short) 0x3C00);
        case BF16 -> b.putShort((short) 0x3F80);
        case FP32 -> b.putFloat(1f);
        case FP64 -> b.putDouble(1d);
        case BYTES -> throw new IllegalStateException("handled above");
      }
    }
    return b.flip();
  }
}
