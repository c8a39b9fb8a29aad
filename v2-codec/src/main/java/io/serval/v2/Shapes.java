package io.serval.v2;

/** Shape arithmetic and formatting shared by the readers and writers. */
final class Shapes {
  private Shapes() {}

  /** Product of the dimensions; saturates at Long.MAX_VALUE so absurd shapes fail size checks. */
  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + format(shape));
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    return n;
  }

  /** Bytes the shape needs for a fixed-size type, saturating at Long.MAX_VALUE. */
  static long byteLength(long elements, Datatype type) {
    try {
      return Math.multiplyExact(elements, (long) type.byteSize());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  static String format(long[] shape) {
    StringBuilder sb = new StringBuilder(2 + shape.length * 4).append('[');
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }
}
