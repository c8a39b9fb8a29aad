package io.serval.client.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A V2 tensor: name, datatype, shape and its elements in row-major order, held in the V2 binary
 * layout (little-endian; BYTES elements as a 4-byte length, then the bytes), which is what the
 * binary tensor extension and gRPC raw contents carry. Immutable.
 *
 * <pre>{@code
 * Tensor a = Tensor.floats("a", new long[] {1, 4}, 1f, 2f, 3f, 4f);
 * float[] sum = result.output("sum").floats();
 * }</pre>
 */
public final class Tensor {

  private final String name;
  private final Datatype datatype;
  private final long[] shape;
  private final byte[] data;

  private Tensor(String name, Datatype datatype, long[] shape, byte[] data) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a tensor needs a name");
    }
    this.name = name;
    this.datatype = datatype;
    this.shape = shape.clone();
    this.data = data;
    long expected = elementCount();
    long actual =
        datatype == Datatype.BYTES ? countBytesElements() : data.length / datatype.byteSize();
    if (datatype != Datatype.BYTES && data.length % datatype.byteSize() != 0) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + data.length
              + " bytes are not whole "
              + datatype
              + " elements");
    }
    if (expected != actual) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': shape "
              + Arrays.toString(shape)
              + " holds "
              + expected
              + " elements, data has "
              + actual);
    }
  }

  /** FP32 elements. */
  public static Tensor floats(String name, long[] shape, float... values) {
    ByteBuffer b = buffer(values.length * 4);
    for (float v : values) {
      b.putFloat(v);
    }
    return new Tensor(name, Datatype.FP32, shape, b.array());
  }

  /** FP64 elements. */
  public static Tensor doubles(String name, long[] shape, double... values) {
    ByteBuffer b = buffer(values.length * 8);
    for (double v : values) {
      b.putDouble(v);
    }
    return new Tensor(name, Datatype.FP64, shape, b.array());
  }

  /** INT32 elements. */
  public static Tensor int32s(String name, long[] shape, int... values) {
    ByteBuffer b = buffer(values.length * 4);
    for (int v : values) {
      b.putInt(v);
    }
    return new Tensor(name, Datatype.INT32, shape, b.array());
  }

  /** INT64 elements. */
  public static Tensor int64s(String name, long[] shape, long... values) {
    ByteBuffer b = buffer(values.length * 8);
    for (long v : values) {
      b.putLong(v);
    }
    return new Tensor(name, Datatype.INT64, shape, b.array());
  }

  /** BOOL elements. */
  public static Tensor bools(String name, long[] shape, boolean... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) (values[i] ? 1 : 0);
    }
    return new Tensor(name, Datatype.BOOL, shape, b);
  }

  /** BYTES elements, each a byte string. (V2 JSON carries them as text: use UTF-8 or binary.) */
  public static Tensor bytes(String name, long[] shape, byte[]... values) {
    int size = 0;
    for (byte[] v : values) {
      size += 4 + v.length;
    }
    ByteBuffer b = buffer(size);
    for (byte[] v : values) {
      b.putInt(v.length).put(v);
    }
    return new Tensor(name, Datatype.BYTES, shape, b.array());
  }

  /** BYTES elements from text, encoded as UTF-8. */
  public static Tensor strings(String name, long[] shape, String... values) {
    byte[][] bytes = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes(name, shape, bytes);
  }

  /**
   * Any datatype from its V2 binary layout (little-endian; BYTES length-prefixed): for FP16, BF16,
   * the unsigned and the small integer types. The array is copied.
   */
  public static Tensor raw(String name, Datatype datatype, long[] shape, byte[] littleEndian) {
    return new Tensor(name, datatype, shape, littleEndian.clone());
  }

  public String name() {
    return name;
  }

  public Datatype datatype() {
    return datatype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Product of the dimensions (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The V2 binary layout of the elements (a copy). */
  public byte[] raw() {
    return data.clone();
  }

  /** The V2 binary layout of the elements as a read-only little-endian view (no copy). */
  public ByteBuffer rawBuffer() {
    return view().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public float[] floats() {
    expect(Datatype.FP32);
    float[] out = new float[data.length / 4];
    view().asFloatBuffer().get(out);
    return out;
  }

  public double[] doubles() {
    expect(Datatype.FP64);
    double[] out = new double[data.length / 8];
    view().asDoubleBuffer().get(out);
    return out;
  }

  public int[] int32s() {
    expect(Datatype.INT32);
    int[] out = new int[data.length / 4];
    view().asIntBuffer().get(out);
    return out;
  }

  public long[] int64s() {
    expect(Datatype.INT64);
    long[] out = new long[data.length / 8];
    view().asLongBuffer().get(out);
    return out;
  }

  public boolean[] bools() {
    expect(Datatype.BOOL);
    boolean[] out = new boolean[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[i] != 0;
    }
    return out;
  }

  /** BYTES elements, each its byte string. */
  public List<byte[]> bytes() {
    expect(Datatype.BYTES);
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = view();
    while (b.hasRemaining()) {
      byte[] e = new byte[b.getInt()];
      b.get(e);
      out.add(e);
    }
    return out;
  }

  /** BYTES elements decoded as UTF-8. */
  public List<String> strings() {
    return bytes().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  private void expect(Datatype wanted) {
    if (datatype != wanted) {
      throw new IllegalStateException(
          "tensor '" + name + "' is " + datatype + ", not " + wanted + "; read it with raw()");
    }
  }

  private ByteBuffer view() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private long countBytesElements() {
    ByteBuffer b = view();
    long n = 0;
    while (b.hasRemaining()) {
      if (b.remaining() < 4) {
        throw new IllegalArgumentException("tensor '" + name + "': truncated BYTES length prefix");
      }
      int len = b.getInt();
      if (len < 0 || len > b.remaining()) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': a BYTES element runs past the data");
      }
      b.position(b.position() + len);
      n++;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + datatype.hashCode()) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ", " + datatype + ", " + Arrays.toString(shape) + "]";
  }
}
