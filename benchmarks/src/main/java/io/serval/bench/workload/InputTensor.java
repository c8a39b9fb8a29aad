package io.serval.bench.workload;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * One request input, held once and rendered for each path: ONNX Runtime tensor, little-endian raw
 * bytes (gRPC raw_input_contents and the REST binary extension) or JSON numbers.
 *
 * <p>Exactly one of {@code longs} / {@code floats} is set (INT64 or FP32).
 */
public record InputTensor(String name, long[] shape, long[] longs, float[] floats) {

  public static InputTensor int64(String name, long[] values, long... shape) {
    return new InputTensor(name, shape, values, null);
  }

  public static InputTensor fp32(String name, float[] values, long... shape) {
    return new InputTensor(name, shape, null, values);
  }

  /** The V2 datatype name. */
  public String datatype() {
    return longs != null ? "INT64" : "FP32";
  }

  public int elementCount() {
    return longs != null ? longs.length : floats.length;
  }

  public byte[] littleEndianBytes() {
    ByteBuffer buffer =
        ByteBuffer.allocate(elementCount() * (longs != null ? 8 : 4))
            .order(ByteOrder.LITTLE_ENDIAN);
    if (longs != null) {
      buffer.asLongBuffer().put(longs);
    } else {
      buffer.asFloatBuffer().put(floats);
    }
    return buffer.array();
  }

  public OnnxTensor toOnnx(OrtEnvironment env) throws OrtException {
    return longs != null
        ? OnnxTensor.createTensor(env, LongBuffer.wrap(longs), shape)
        : OnnxTensor.createTensor(env, FloatBuffer.wrap(floats), shape);
  }
}
