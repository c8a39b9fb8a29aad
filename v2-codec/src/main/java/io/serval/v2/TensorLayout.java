package io.serval.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Checks that raw tensor bytes match a shape and datatype in the V2 binary layout. */
final class TensorLayout {
  private TensorLayout() {}

  /**
   * @param where names the tensor for messages, e.g. {@code input 'a'}
   * @param data bytes from position to limit; not modified
   * @throws V2Exception INVALID_ARGUMENT when the bytes do not fit the shape
   */
  static void check(String where, Datatype type, long[] shape, ByteBuffer data) {
    long elements = Shapes.elementCount(shape);
    int given = data.remaining();
    if (type.fixedSize()) {
      long needed = Shapes.byteLength(elements, type);
      if (needed != given) {
        throw V2Exception.invalid(
            where
                + ": shape "
                + Shapes.format(shape)
                + " needs "
                + elements
                + " "
                + type
                + " elements ("
                + needed
                + " bytes) but "
                + given
                + " bytes were given");
      }
      return;
    }
    long found = countBytesElements(where, data);
    if (found != elements) {
      throw V2Exception.invalid(
          where
              + ": shape "
              + Shapes.format(shape)
              + " needs "
              + elements
              + " BYTES elements but "
              + found
              + " were given");
    }
  }

  /**
   * Walks length-prefixed BYTES elements and returns how many there are; the prefixes must cover
   * the bytes exactly.
   */
  static long countBytesElements(String where, ByteBuffer data) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int pos = b.position();
    int end = b.limit();
    long count = 0;
    while (pos < end) {
      if (end - pos < 4) {
        throw V2Exception.invalid(
            where
                + ": BYTES element "
                + count
                + " is truncated: its 4-byte length prefix has only "
                + (end - pos)
                + " bytes");
      }
      long len = Integer.toUnsignedLong(b.getInt(pos));
      pos += 4;
      if (len > end - pos) {
        throw V2Exception.invalid(
            where
                + ": BYTES element "
                + count
                + " declares "
                + len
                + " bytes but only "
                + (end - pos)
                + " remain");
      }
      pos += (int) len;
      count++;
    }
    return count;
  }
}
