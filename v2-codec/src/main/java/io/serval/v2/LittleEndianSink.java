package io.serval.v2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable byte array written in little-endian order, without boxing. */
final class LittleEndianSink {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int size;

  LittleEndianSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  /** The backing array; valid bytes are [0, size). */
  byte[] array() {
    return buf;
  }

  private int reserve(int n) {
    int at = size;
    if (buf.length - at < n) {
      long wanted = Math.max((long) at + n, (long) buf.length * 2);
      if ((long) at + n > MAX) {
        throw V2Exception.payloadTooLarge("tensor data exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(wanted, MAX));
    }
    size = at + n;
    return at;
  }

  // Each put reserves before it reads buf: reserve may replace the array, and Java evaluates
  // `buf` before the index expression in `buf[reserve(n)]`, which wrote past the old array.

  void putByte(int v) {
    int at = reserve(1);
    buf[at] = (byte) v;
  }

  void putShort(int v) {
    int at = reserve(2);
    SHORT.set(buf, at, (short) v);
  }

  void putInt(int v) {
    int at = reserve(4);
    INT.set(buf, at, v);
  }

  void putLong(long v) {
    int at = reserve(8);
    LONG.set(buf, at, v);
  }

  void putFloat(float v) {
    putInt(Float.floatToRawIntBits(v));
  }

  void putDouble(double v) {
    putLong(Double.doubleToRawLongBits(v));
  }

  void putBytes(byte[] b) {
    int at = reserve(b.length);
    System.arraycopy(b, 0, buf, at, b.length);
  }
}
