package io.serval.it.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** One V2 tensor of the two datatypes the suite sends: FP32 or INT64. */
public record Tensor(String name, String datatype, long[] shape, float[] fp32, long[] int64) {

  public static Tensor fp32(String name, long[] shape, float... data) {
    check(name, shape, data.length);
    return new Tensor(name, "FP32", shape.clone(), data.clone(), null);
  }

  public static Tensor int64(String name, long[] shape, long... data) {
    check(name, shape, data.length);
    return new Tensor(name, "INT64", shape.clone(), null, data.clone());
  }

  private static void check(String name, long[] shape, int length) {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(shape) + " holds " + n + " values, got " + length);
    }
  }

  /** Little-endian raw contents, as the binary extension and gRPC raw contents carry them. */
  public byte[] rawBytes() {
    if (fp32 != null) {
      ByteBuffer b = ByteBuffer.allocate(fp32.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : fp32) {
        b.putFloat(f);
      }
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(int64.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : int64) {
      b.putLong(v);
    }
    return b.array();
  }
}
