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

  /** This tensor repeated {@code rows} times along dimension 0 (its dimension 0 must be 1). */
  public InputTensor repeated(int rows) {
    if (shape.length == 0 || shape[0] != 1) {
      throw new IllegalArgumentException(name + ": only a batch-1 tensor can be repeated");
    }
    long[] s = shape.clone();
    s[0] = rows;
    if (longs != null) {
      long[] v = new long[longs.length * rows];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(longs, 0, v, r * longs.length, longs.length);
      }
      return new InputTensor(name, s, v, null);
    }
    float[] v = new float[floats.length * rows];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(floats, 0, v, r * floats.length, floats.length);
    }
    return new InputTensor(name, s, null, v);
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
