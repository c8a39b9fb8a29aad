package io.serval.predictor.inference;

import io.serval.v2.Datatype;
import io.serval.v2.RawTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds and reads V2 raw tensors in tests. */
public final class Tensors {
  private Tensors() {}

  public static RawTensor fp32(String name, long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return new RawTensor(name, Datatype.FP32, shape, b.flip());
  }

  public static float[] floats(RawTensor t) {
    ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat();
    }
    return out;
  }

  public static ByteBuffer bytesElements(String... values) {
    int size = 0;
    for (String v : values) {
      size += 4 + v.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String v : values) {
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      b.putInt(bytes.length).put(bytes);
    }
    return b.flip();
  }
}
