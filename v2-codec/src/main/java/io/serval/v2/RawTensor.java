package io.serval.v2;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor in the V2 binary layout: little-endian, row-major, no padding; BYTES elements are each a
 * 4-byte little-endian length followed by that many bytes.
 *
 * @param data position 0, limit = byte length, little-endian order. Whoever builds a RawTensor
 *     hands the buffer over: nobody may change its bytes afterwards (writers may wrap it without
 *     copying).
 */
public record RawTensor(String name, Datatype datatype, long[] shape, ByteBuffer data) {

  /** Product of the dimensions (1 for a scalar shape {@code []}). */
  public long elementCount() {
    return Shapes.elementCount(shape);
  }

  /** Byte length of {@link #data()}. */
  public int byteLength() {
    return data.limit();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawTensor t
        && name.equals(t.name)
        && datatype == t.datatype
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + datatype.hashCode()) * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "RawTensor["
        + name
        + " "
        + datatype
        + " "
        + Shapes.format(shape)
        + " "
        + data.limit()
        + " bytes]";
  }
}
